using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>
/// A reading of a central-credit meter waiting to be priced, keyed as the reading is. Rows are put here by triggers on
/// <c>readings</c> (insert, and update for a reading whose values or quality change) in the writer's own statement, so
/// a reading committed is queued in the same commit, however late it arrives; the pricing round takes them off in its
/// write transaction. The queue spares the round from searching every reading for those not yet priced.
/// </summary>
public sealed class PendingIntervalRecord
{
    public Guid MeterId { get; init; }
    public Instant At { get; init; }
}
