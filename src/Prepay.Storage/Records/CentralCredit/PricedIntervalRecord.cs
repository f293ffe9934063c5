using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>
/// A central-credit meter's interval, priced and posted. The key (meter, interval end) is the reading's: an interval
/// is priced once however late, often or on however many nodes its reading is seen, since a second insert of the key
/// fails the batch that tried it. <see cref="Wh"/> and <see cref="ChargedMinor"/> are what the balance was charged
/// for it, kept current by adjustments, so a correction is always new price − charged.
/// </summary>
public sealed class PricedIntervalRecord
{
    public Guid MeterId { get; init; }

    /// <summary>The interval's end: the reading's <c>at</c>.</summary>
    public Instant At { get; init; }
    public Instant Start { get; init; }

    /// <summary>The interval's month in the tariff's zone (<c>yyyy-MM</c>), which its energy counts toward.</summary>
    public required string Month { get; init; }
    public long Wh { get; set; }

    /// <summary>Energy of the month priced before this interval: the block position it was priced (and is re-priced) at.</summary>
    public long MonthPositionWh { get; init; }
    public long ChargedMinor { get; set; }
    public long DebtRecoveredMinor { get; set; }

    /// <summary>
    /// The fixed charges (before their taxes) this interval took for the local days it was the first to touch; null for
    /// intervals priced before it was kept. The rest of its charge is derived again exactly from the tariff version
    /// (energy and the taxes on both), so a statement itemises it to the minor unit. Adjustments never change it.
    /// </summary>
    public long? FixedChargesMinor { get; init; }
    public required string TariffCode { get; init; }
    public int TariffVersion { get; init; }
    /// <summary>The ledger transaction that charged it (with the meter's other intervals of its batch); none when it cost nothing.</summary>
    public Guid? TransactionId { get; init; }
    public Instant PricedAt { get; init; }
}
