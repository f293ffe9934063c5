using NodaTime;
using Prepay.Meter.Events;

namespace Prepay.Simulation;

/// <summary>A meter's status message (docs/mqtt.md, Status): the head-end keeps the newest per meter.</summary>
internal sealed record StatusReport(Instant At, long CreditWh, long EnergyWh) : MeterOutput(At);
