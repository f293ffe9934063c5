using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;

namespace Prepay.Vending.Tokens;

/// <summary>The pending key change order on meters (an operator's or a campaign's), in one place: it is cleared whole.</summary>
public static class KeyChangeOrders
{
    /// <summary>Clears every field of the pending order on <paramref name="meters"/>, in one statement.</summary>
    public static Task<int> ClearAsync(this IQueryable<Meter> meters, CancellationToken ct) =>
        meters.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.KeyChangeToRevision, (int?)null)
            .SetProperty(m => m.KeyChangeToBaseDate, (StsBaseDate?)null)
            .SetProperty(m => m.KeyChangeToSupplyGroupCode, (int?)null)
            .SetProperty(m => m.KeyChangeToTariffIndex, (int?)null)
            .SetProperty(m => m.KeyChangeNotBefore, (Instant?)null)
            .SetProperty(m => m.KeyChangeCampaignId, (Guid?)null), ct);

    /// <summary>The same on a meter read into memory.</summary>
    public static void Clear(Meter meter)
    {
        meter.KeyChangeToRevision = null;
        meter.KeyChangeToBaseDate = null;
        meter.KeyChangeToSupplyGroupCode = null;
        meter.KeyChangeToTariffIndex = null;
        meter.KeyChangeNotBefore = null;
        meter.KeyChangeCampaignId = null;
    }
}
