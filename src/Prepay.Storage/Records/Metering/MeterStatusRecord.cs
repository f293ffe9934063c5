using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>The head-end's latest knowledge of a meter: is it online, when was it last heard, relay and credit.</summary>
public sealed class MeterStatusRecord
{
    public Guid MeterId { get; init; }
    public bool Online { get; set; }
    public Instant LastSeenAt { get; set; }
    public string? Relay { get; set; }
    public long? CreditWh { get; set; }
    public long? EnergyWh { get; set; }

    /// <summary>The key revision the meter's STS decoder reports holding (smart meters with a keypad decoder).</summary>
    public int? KeyRevision { get; set; }

    /// <summary>
    /// The money balance the meter reports displaying (a central-credit meter, as the server's <c>showBalance</c> told
    /// it): minor units, its ISO 4217 currency and the instant it was true at; all null until a meter reports one.
    /// </summary>
    public long? DisplayedBalanceMinor { get; set; }

    public string? DisplayedBalanceCurrency { get; set; }

    public Instant? DisplayedBalanceAt { get; set; }
}
