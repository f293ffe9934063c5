using NodaTime;
using Prepay.Meter.Registers;

namespace Prepay.Meter.Events;

/// <summary>The relay opened (supply off) because of <paramref name="Reason"/>.</summary>
public sealed record RelayOpened(Instant At, DisconnectReasons Reason) : MeterOutput(At);
