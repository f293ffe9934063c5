using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>
/// From <see cref="EffectiveFrom"/>, where a meter's credit is held: <c>meter</c> (in the meter, as vends have always
/// sent it) or <c>central</c> (in the ledger, consumption priced on the server). Rows are history: a later row
/// supersedes; a meter with no row holds its credit in the meter. Who switched it and why are kept here and in the audit.
/// A switch to central is completed once, when the meter reports handing its register over (<see cref="HandedOverAt"/>,
/// written by a conditional update from null): what it handed over, and the amount carried into the central balance
/// with the ledger transaction that did it. A switch back to the meter records the central balance sold to the meter
/// at the switch (<see cref="CarriedOutMinor"/>, <see cref="CarriedOutWh"/>) and its transaction.
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
    public long CarriedInMinor { get; set; }
    public Guid? TransactionId { get; set; }

    /// <summary>The reading-interval boundary at which the meter gave up its register (switch to central); null until it reports it.</summary>
    public Instant? HandedOverAt { get; set; }

    /// <summary>The meter's credit register as it handed it over, Wh.</summary>
    public long? HandedOverWh { get; set; }

    /// <summary>Emergency credit the meter had lent and not yet been repaid when it handed over, Wh (netted from <see cref="HandedOverWh"/>).</summary>
    public long? HandedOverEmergencyOwedWh { get; set; }

    /// <summary>A switch back to the meter: the central balance sold to the meter as credit, minor units, and the energy it bought.</summary>
    public long CarriedOutMinor { get; init; }

    public long CarriedOutWh { get; init; }
}
