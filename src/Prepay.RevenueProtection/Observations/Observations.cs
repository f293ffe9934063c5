using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.RevenueProtection.Observations;

/// <summary>What the detectors read of one site: its meters, side by side, so that each can be held against its neighbours.</summary>
public sealed record SiteObservations(string Site, IReadOnlyList<MeterObservations> Meters);

/// <summary>How a meter takes its credit: by remote command (its acknowledgement registers it) or by token on its keypad.</summary>
public enum CreditPath
{
    Smart,
    Keypad,
}

/// <summary>
/// One meter's record over the detection window, as the head-end and the ledger keep it: interval readings, events,
/// sales, and the credit the meter registered. <see cref="ReportsTokens"/>: a keypad meter that reports the tokens
/// typed on it (a smart meter with a keypad does); one that does not cannot show a token was never entered.
/// </summary>
public sealed record MeterObservations(
    MeterNumber Meter,
    CreditPath Path,
    IReadOnlyList<ReadingPoint> Readings,
    IReadOnlyList<EventPoint> Events,
    IReadOnlyList<SalePoint> Sales,
    IReadOnlyList<RegisteredCredit> Registered)
{
    public bool ReportsTokens { get; init; } = true;
}

/// <summary>An interval reading: the energy of the interval ending at <paramref name="At"/>, and voltage and power then.</summary>
public sealed record ReadingPoint(Instant At, long DeltaWh, int VoltageDeciVolts, int PowerWatts);

/// <summary>A meter's event as stored, by its MQTT v1 type (<see cref="EventTypes"/>).</summary>
public sealed record EventPoint(long Id, Instant At, string Type);

/// <summary>A sale of credit to the meter: the vend, its energy, and the token's id (STS TID) when it was a token.</summary>
public sealed record SalePoint(string VendId, Instant At, Energy Energy, long? TokenId);

/// <summary>
/// Credit the meter says it took: a remote credit command it acknowledged (<paramref name="VendId"/> of the sale that
/// queued it) or a token it accepted (its <paramref name="TokenId"/> where the meter reports it).
/// </summary>
public sealed record RegisteredCredit(Instant At, Energy Energy, string? VendId, long? TokenId);

/// <summary>The event types the detectors read (docs/mqtt.md, Events).</summary>
public static class EventTypes
{
    public const string CoverOpen = "coverOpen";
    public const string MagneticTamper = "magneticTamper";
    public const string RelayOpened = "relayOpened";
    public const string RelayClosed = "relayClosed";
    public const string PowerOutage = "powerOutage";
    public const string PowerRestored = "powerRestored";
    public const string OverVoltage = "overVoltage";
    public const string UnderVoltage = "underVoltage";
    public const string Overload = "overload";
}
