using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;

namespace Prepay.MeterLink.Uplinks;

/// <summary>
/// The meter's state: online or not, its relay (<c>connected</c> or <c>disconnected</c>), credit left, import register,
/// when it took them, the key revision its STS decoder holds, and the money balance it displays as a server last told
/// it (<c>showBalance</c>) with that balance's as-of instant. A value left null keeps what the head-end had.
/// </summary>
public sealed record MeterStatus(bool Online, string? Relay, Energy? Credit, Energy? Register, Instant? At, int? KeyRevision) : MeterUplink
{
    /// <summary>The balance on the meter's display and when the server read it; null when the meter shows none (or does not say).</summary>
    public DisplayedBalance? DisplayedBalance { get; init; }
}

/// <summary>A money balance a meter displays: what it was told and the instant it was told it was true at.</summary>
public sealed record DisplayedBalance(Money Balance, Instant AsOf);
