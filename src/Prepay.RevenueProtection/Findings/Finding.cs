using NodaTime;
using Prepay.Domain.Metering;

namespace Prepay.RevenueProtection.Findings;

/// <summary>What a detector found.</summary>
public enum FindingKind
{
    /// <summary>The meter reported its cover opened or a magnet.</summary>
    Tamper,

    /// <summary>Energy counted while the meter says its relay was open: the relay is bridged or welded.</summary>
    ConsumptionWhileDisconnected,

    /// <summary>Consumption fell to near nothing with the relay closed and the supply on, while the meter's own history and its neighbours say otherwise.</summary>
    BypassSuspected,

    /// <summary>Overload trips again and again: the supply is too small for the load, or the load is not a household's.</summary>
    PersistentOverload,

    /// <summary>Voltage outside ±10 % for an hour or more, or excursions again and again.</summary>
    AbnormalVoltage,

    /// <summary>No reading for hours while the site's other meters report and the meter reported no outage.</summary>
    StoppedReporting,

    /// <summary>Several meters of one site lost supply together: a feeder or transformer, not a household.</summary>
    SiteOutage,

    /// <summary>A smart meter's credit was sold and the meter never acknowledged it.</summary>
    CreditNotRegistered,

    /// <summary>A token was sold and the meter, which reports tokens, never accepted it.</summary>
    TokenNeverEntered,

    /// <summary>The meter registered credit no sale explains.</summary>
    UnexplainedCredit,

    /// <summary>A keypad meter that reports no tokens bought some: only a visit can tell whether they were entered.</summary>
    FieldAudit,

    /// <summary>A token's id is not after the meter's previous token's: a second vending system, or a replayed sale.</summary>
    TokenOutOfSequence,
}

/// <summary>What kind of record a piece of evidence is.</summary>
public enum EvidenceKind
{
    Reading,
    Event,
    Sale,
    Registration,
    Neighbours,
}

/// <summary>One record behind a finding: what it is, when, which one (an event id, a vend id, a reading's instant) and what it says.</summary>
public sealed record Evidence(EvidenceKind Kind, Instant At, string Reference, string Detail);

/// <summary>
/// A finding: its kind, where (a site, a meter or the whole site), over which period, how sure the detector is (0 to
/// 100), one sentence, and the records behind it. Its state (open, investigating, confirmed, dismissed) is kept by
/// whoever stores it.
/// </summary>
public sealed record Finding(FindingKind Kind, string Site, MeterNumber? Meter, Interval Period, int Confidence, string Summary, IReadOnlyList<Evidence> Evidence);
