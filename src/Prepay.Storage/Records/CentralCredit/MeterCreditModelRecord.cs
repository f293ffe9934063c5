using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>
/// From <see cref="EffectiveFrom"/>, where a meter's credit is held: <c>meter</c> (in the meter, as vends have always
/// sent it) or <c>central</c> (in the ledger, consumption priced on the server). Rows are history, insert-only: a later
/// row supersedes, none changes; a meter with no row holds its credit in the meter. Who switched it and why are kept
/// here and in the audit. A switch to central that carried the meter's credit in records the amount and the ledger
/// transaction that did it.
/// </summary>
public sealed class MeterCreditModelRecord
{
    public const string InMeter = "meter";
    public const string Central = "central";

    public long Id { get; init; }
    public Guid MeterId { get; init; }
    public required string Model { get; init; }
    public Instant EffectiveFrom { get; init; }
    public required string Actor { get; init; }
    public required string Reason { get; init; }
    public Instant RecordedAt { get; init; }
    public long CarriedInMinor { get; init; }
    public Guid? TransactionId { get; init; }
}
