namespace Prepay.Meter.Display;

/// <summary>Alarm conditions currently active (tamper alarms stay latched until cleared).</summary>
[Flags]
public enum Alarms
{
    /// <summary>No alarm.</summary>
    None = 0,

    /// <summary>Terminal cover opened.</summary>
    CoverOpen = 1,

    /// <summary>Magnetic field detected.</summary>
    MagneticTamper = 2,

    /// <summary>Voltage above the limit.</summary>
    OverVoltage = 4,

    /// <summary>Voltage below the limit.</summary>
    UnderVoltage = 8,

    /// <summary>Load above the maximum power limit.</summary>
    Overload = 16,

    /// <summary>No mains supply.</summary>
    PowerOutage = 32,
}
