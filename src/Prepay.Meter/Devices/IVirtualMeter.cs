using Prepay.Meter.Display;
using Prepay.Meter.Events;

namespace Prepay.Meter.Devices;

/// <summary>
/// A running virtual meter as someone standing in front of it meets it: its screen and its keypad. Whatever runs
/// the meter (the simulator's MQTT agent) implements it, so that what is typed reaches the meter the same way the
/// simulated customers' tokens do, and what the meter does about it is published as usual.
/// </summary>
public interface IVirtualMeter
{
    /// <summary>The meter number, as printed on the meter and known to the server.</summary>
    string MeterNumber { get; }

    /// <summary>True when the meter takes tokens on its keypad (an STS meter), false for a meter credited only remotely.</summary>
    bool HasKeypad { get; }

    /// <summary>What the screen shows now.</summary>
    Task<MeterDisplay> ReadDisplayAsync(CancellationToken ct = default);

    /// <summary>Types a 20-digit token on the keypad; returns what the meter did (accepted or rejected, any relay change).</summary>
    Task<IReadOnlyList<MeterOutput>> EnterTokenAsync(string digits, CancellationToken ct = default);
}
