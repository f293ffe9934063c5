using NodaTime;
using Prepay.Domain.Energy;

namespace Prepay.MeterData.Readings;

/// <summary>
/// What a meter can physically measure: its maximum current (Imax on the nameplate, IEC 62053-21 §3.5.1.4), the
/// supply voltage it is rated for, and the register's capacity (the value at which it wraps to zero: a register
/// showing 99999.9 kWh wraps at 100 000.0 kWh = 100 000 000 Wh).
/// </summary>
public sealed record MeterRating
{
    public MeterRating(int maxCurrentA, int voltageV, long registerCapacityWh)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCurrentA);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(voltageV);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(registerCapacityWh);
        MaxCurrentA = maxCurrentA;
        VoltageV = voltageV;
        RegisterCapacityWh = registerCapacityWh;
    }

    public int MaxCurrentA { get; }
    public int VoltageV { get; }
    public long RegisterCapacityWh { get; }

    /// <summary>
    /// Whether <paramref name="energy"/> fits in <paramref name="span"/> at full rating: energy ≤ A × V × seconds / 3600,
    /// compared as energy × 3600 ≤ A × V × seconds so no division rounds the boundary.
    /// </summary>
    public bool Allows(Energy energy, Duration span) =>
        (Int128)energy.WattHours * 3600 <= (Int128)MaxCurrentA * VoltageV * (long)span.TotalSeconds;

    /// <summary>The most the meter can measure in <paramref name="span"/>, rounded down to whole Wh (for messages).</summary>
    public Energy MaxEnergy(Duration span) => new((long)((Int128)MaxCurrentA * VoltageV * (long)span.TotalSeconds / 3600));
}
