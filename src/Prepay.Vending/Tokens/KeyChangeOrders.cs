using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using NodaTime;
using Prepay.Domain.Metering;

namespace Prepay.Vending.Tokens;

/// <summary>The pending key change order on meters (an operator's or a campaign's), in one place: it is cleared whole.</summary>
public static class KeyChangeOrders
{
    /// <summary>Clears every field of the pending order on <paramref name="meters"/>, in one statement.</summary>
    public static Task<int> ClearAsync(this IQueryable<Meter> meters, CancellationToken ct) => meters.ExecuteUpdateAsync(Clear, ct);

    /// <summary>The setters that clear the order, for a statement that also sets other columns.</summary>
    public static void Clear(UpdateSettersBuilder<Meter> s) => Order(s, null, null);

    /// <summary>
    /// The setters of an operator's order for one meter: a key revision and base date, nothing else pending (no
    /// campaign's start, supply group or tariff index). Each column is set once, as SQL requires.
    /// </summary>
    public static void Order(UpdateSettersBuilder<Meter> s, int? keyRevisionNumber, StsBaseDate? baseDate) => s
        .SetProperty(m => m.KeyChangeToRevision, keyRevisionNumber)
        .SetProperty(m => m.KeyChangeToBaseDate, baseDate)
        .SetProperty(m => m.KeyChangeToSupplyGroupCode, (int?)null)
        .SetProperty(m => m.KeyChangeToTariffIndex, (int?)null)
        .SetProperty(m => m.KeyChangeNotBefore, (Instant?)null)
        .SetProperty(m => m.KeyChangeCampaignId, (Guid?)null);

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
