using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage.Records.CentralCredit;

namespace Prepay.Storage.Queries;

/// <summary>Where a meter's credit is held at an instant: its latest <c>meter_credit_models</c> row from before it.</summary>
public static class CreditModels
{
    public static Task<MeterCreditModelRecord?> AtAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct) =>
        db.MeterCreditModels.AsNoTracking()
            .Where(m => m.MeterId == meterId && m.EffectiveFrom <= at)
            .OrderByDescending(m => m.EffectiveFrom)
            .FirstOrDefaultAsync(ct);

    /// <summary>True when the meter's credit is held centrally at <paramref name="at"/>; a meter never switched holds it itself.</summary>
    public static async Task<bool> IsCentralAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct) =>
        (await AtAsync(db, meterId, at, ct))?.Model == MeterCreditModelRecord.Central;
}
