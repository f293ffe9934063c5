using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>Credit reached zero (once per crossing). Whether the relay opens is a separate <see cref="RelayOpened"/>.</summary>
public sealed record CreditExhausted(Instant At, long CreditWh) : MeterOutput(At);
