namespace Prepay.Dlms.Axdr;

/// <summary>
/// The clock_status byte of a COSEM date-time (Blue Book §4.1.6.1). 0xFF means "not specified".
/// </summary>
[Flags]
public enum ClockStatus : byte
{
    Ok = 0x00,
    InvalidValue = 0x01,
    DoubtfulValue = 0x02,
    DifferentClockBase = 0x04,
    InvalidClockStatus = 0x08,
    DaylightSavingActive = 0x80,
    NotSpecified = 0xFF,
}
