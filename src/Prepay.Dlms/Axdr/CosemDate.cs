using NodaTime;

namespace Prepay.Dlms.Axdr;

/// <summary>
/// A COSEM date (Blue Book §4.1.6.1, 5 bytes): year (Unsigned16, 0xFFFF not specified), month (1-12; 0xFD end and
/// 0xFE start of daylight saving; 0xFF not specified), day of month (1-31; 0xFD second last, 0xFE last day;
/// 0xFF not specified), day of week (1 = Monday .. 7; 0xFF not specified). Any byte is accepted: a date is often a
/// pattern (every month, last day) rather than one day.
/// </summary>
public readonly record struct CosemDate(ushort Year, byte Month, byte DayOfMonth, byte DayOfWeek)
{
    public const int Size = 5;
    public const ushort YearNotSpecified = 0xFFFF;
    public const byte NotSpecified = 0xFF;

    public static CosemDate Read(ref DlmsReader reader) =>
        new(reader.ReadUInt16(), reader.ReadByte(), reader.ReadByte(), reader.ReadByte());

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(Year);
        writer.WriteByte(Month);
        writer.WriteByte(DayOfMonth);
        writer.WriteByte(DayOfWeek);
    }

    public static CosemDate From(LocalDate date)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(date.Year, 1, nameof(date));
        return new CosemDate((ushort)date.Year, (byte)date.Month, (byte)date.Day, (byte)date.DayOfWeek);
    }

    /// <summary>The calendar date, or null when a field is a wildcard or out of range.</summary>
    public LocalDate? ToLocalDate()
    {
        if (Year is 0 or > 9999 || Month is < 1 or > 12 || DayOfMonth < 1
            || DayOfMonth > CalendarSystem.Iso.GetDaysInMonth(Year, Month))
        {
            return null;
        }
        return new LocalDate(Year, Month, DayOfMonth);
    }
}

/// <summary>
/// A COSEM time (Blue Book §4.1.6.1, 4 bytes): hour, minute, second, hundredths; 0xFF in any field means
/// "not specified".
/// </summary>
public readonly record struct CosemTime(byte Hour, byte Minute, byte Second, byte Hundredths)
{
    public const int Size = 4;
    public const byte NotSpecified = 0xFF;

    public static CosemTime Read(ref DlmsReader reader) =>
        new(reader.ReadByte(), reader.ReadByte(), reader.ReadByte(), reader.ReadByte());

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(Hour);
        writer.WriteByte(Minute);
        writer.WriteByte(Second);
        writer.WriteByte(Hundredths);
    }

    public static CosemTime From(LocalTime time) =>
        new((byte)time.Hour, (byte)time.Minute, (byte)time.Second, (byte)(time.Millisecond / 10));

    /// <summary>The time of day (hundredths not specified count as zero), or null when a field is a wildcard.</summary>
    public LocalTime? ToLocalTime()
    {
        if (Hour > 23 || Minute > 59 || Second > 59 || (Hundredths > 99 && Hundredths != NotSpecified))
        {
            return null;
        }
        int milliseconds = Hundredths == NotSpecified ? 0 : Hundredths * 10;
        return new LocalTime(Hour, Minute, Second, milliseconds);
    }
}
