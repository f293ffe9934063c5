using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>The load exceeded the maximum power limit (set by a class 2 STS token or the configuration).</summary>
public sealed record Overload(Instant At, int PowerWatts, int LimitWatts) : MeterOutput(At);
