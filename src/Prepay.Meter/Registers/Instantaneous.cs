namespace Prepay.Meter.Registers;

/// <summary>Instantaneous values, integers only: voltage in 0.1 V, current in mA, active power in W (unity power factor).</summary>
public readonly record struct Instantaneous(int VoltageDeciVolts, int CurrentMilliAmps, int ActivePowerWatts)
{
    /// <summary>Current drawn by <paramref name="watts"/> at <paramref name="deciVolts"/>: I[mA] = P[W] × 10 000 / U[0.1 V].</summary>
    public static Instantaneous Of(int deciVolts, int watts) =>
        new(deciVolts, deciVolts <= 0 ? 0 : (int)(watts * 10_000L / deciVolts), deciVolts <= 0 ? 0 : watts);
}
