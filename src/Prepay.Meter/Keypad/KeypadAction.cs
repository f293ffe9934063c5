namespace Prepay.Meter.Keypad;

/// <summary>What an accepted token asks the electricity meter to do.</summary>
internal enum KeypadAction
{
    /// <summary>Accepted, nothing for this meter to do (test/display, key change section, other utility's register).</summary>
    None,

    /// <summary>Class 0 subclass 0: add electricity credit (Value in Wh).</summary>
    AddCredit,

    /// <summary>Class 2 subclass 0: maximum power limit (Value in W; 0 = no limit).</summary>
    SetPowerLimit,

    /// <summary>Class 2 subclass 1 with the electricity register's bit set: credit to zero.</summary>
    ClearCredit,

    /// <summary>Class 2 subclass 5: clear the tamper condition.</summary>
    ClearTamper,
}
