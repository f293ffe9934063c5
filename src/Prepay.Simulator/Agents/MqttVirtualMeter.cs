using Prepay.Meter.Devices;
using Prepay.Meter.Display;
using Prepay.Meter.Events;

namespace Prepay.Simulator.Agents;

/// <summary>
/// An agent's meter as a person at the meter sees it: the screen read and the keypad used through the agent's gate,
/// so a token typed here is published to the head-end like any other, and never overlaps the fleet's clock.
/// </summary>
public sealed class MqttVirtualMeter(MqttMeterAgent agent, bool hasKeypad) : IVirtualMeter
{
    public string MeterNumber => agent.MeterNumber;

    public bool HasKeypad => hasKeypad;

    public Task<MeterDisplay> ReadDisplayAsync(CancellationToken ct = default) => agent.ReadAsync(m => m.Display, ct);

    public Task<IReadOnlyList<MeterOutput>> EnterTokenAsync(string digits, CancellationToken ct = default) => agent.TypeTokenAsync(digits, ct);
}
