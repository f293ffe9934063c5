using NodaTime;
using Prepay.Domain.Energy;

namespace Prepay.MeterLink.Uplinks;

/// <summary>
/// The meter's state: online or not, its relay (<c>connected</c> or <c>disconnected</c>), credit left, import register,
/// when it took them, and the key revision its STS decoder holds. A value left null keeps what the head-end had.
/// </summary>
public sealed record MeterStatus(bool Online, string? Relay, Energy? Credit, Energy? Register, Instant? At, int? KeyRevision) : MeterUplink;
