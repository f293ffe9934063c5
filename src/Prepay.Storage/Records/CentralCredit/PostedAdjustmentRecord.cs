using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>
/// A <c>reading_adjustments</c> row central credit has dealt with, keyed by its id so it is posted once: the
/// correction charged (positive) or refunded (negative) and its transaction, or zero and none when its interval was
/// first priced with the new value already.
/// </summary>
public sealed class PostedAdjustmentRecord
{
    public long AdjustmentId { get; init; }
    public Guid MeterId { get; init; }
    public Instant At { get; init; }
    public long CorrectionMinor { get; init; }
    public Guid? TransactionId { get; init; }
    public Instant PostedAt { get; init; }
}
