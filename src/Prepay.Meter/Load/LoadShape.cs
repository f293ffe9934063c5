namespace Prepay.Meter.Load;

/// <summary>The kind of customer a meter serves; each has its own daily and weekly curve.</summary>
public enum LoadShape
{
    /// <summary>A household: morning and evening peaks, busier weekend days; ~8–16 kWh/day.</summary>
    Residential,

    /// <summary>A small shop: open 08:00–18:00 Monday to Saturday, fridges otherwise.</summary>
    Shop,

    /// <summary>Student housing: evening and night heavy.</summary>
    Dormitory,

    /// <summary>A workshop: weekday working hours, low base load at night and on weekends.</summary>
    Industrial,
}
