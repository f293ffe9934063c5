using NodaTime;

namespace Prepay.MeterLink.Uplinks;

/// <summary>One thing that happened on the meter (<c>lowCredit</c>, <c>relayOpened</c>, <c>coverOpen</c> …) and its details.</summary>
public sealed record MeterEvent(Instant At, string Type, string? Details);
