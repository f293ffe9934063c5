using System.Buffers.Binary;
using NodaTime;

namespace Prepay.Dlms.Axdr;

/// <summary>
/// A COSEM date-time (Blue Book §4.1.6.1, 12 bytes): a <see cref="CosemDate"/>, a <see cref="CosemTime"/>, the
/// deviation (Integer16, minutes, -720..720, 0x8000 not specified) and the clock status.
/// <para>
/// Deviation sign: local time = UTC - deviation, the convention of the Blue Book's clock object that meters in the
/// field follow; a meter in Central European winter time sends -60 (0xFFC4), as in the Austrian HAN frame cited in
/// the tests.
/// </para>
/// </summary>
public readonly record struct CosemDateTime(CosemDate Date, CosemTime Time, short Deviation, ClockStatus Status)
{
    public const int Size = 12;
    public const short DeviationNotSpecified = short.MinValue;

    public static CosemDateTime Read(ref DlmsReader reader)
    {
        var date = CosemDate.Read(ref reader);
        var time = CosemTime.Read(ref reader);
        return new CosemDateTime(date, time, reader.ReadInt16(), (ClockStatus)reader.ReadByte());
    }

    /// <summary>Reads the 12 bytes a clock's time attribute carries inside an octet-string.</summary>
    public static CosemDateTime FromOctets(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new DlmsFormatException($"A date-time has {Size} bytes, not {bytes.Length}.");
        }
        var reader = new DlmsReader(bytes);
        return Read(ref reader);
    }

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Date.Write(writer);
        Time.Write(writer);
        writer.WriteInt16(Deviation);
        writer.WriteByte((byte)Status);
    }

    public Octets ToOctets()
    {
        var writer = new DlmsWriter(Size);
        Write(writer);
        return Octets.Own(writer.ToArray());
    }

    /// <summary>
    /// The date-time a meter stamps for <paramref name="value"/>: its local fields, deviation = -offset in minutes.
    /// Offsets that are not whole minutes, or beyond ±12 h, cannot be expressed and are refused.
    /// </summary>
    public static CosemDateTime From(OffsetDateTime value, ClockStatus status = ClockStatus.Ok)
    {
        int offsetSeconds = value.Offset.Seconds;
        if (offsetSeconds % 60 != 0 || Math.Abs(offsetSeconds / 60) > 720)
        {
            throw new ArgumentException($"Offset {value.Offset} is not a whole number of minutes within ±12 h.", nameof(value));
        }
        return new CosemDateTime(
            CosemDate.From(value.Date), CosemTime.From(value.TimeOfDay), (short)(-offsetSeconds / 60), status);
    }

    /// <summary>The instant this stamp names, or null when a field is unspecified or out of range.</summary>
    public OffsetDateTime? ToOffsetDateTime()
    {
        var date = Date.ToLocalDate();
        var time = Time.ToLocalTime();
        if (date is null || time is null || Deviation == DeviationNotSpecified || Math.Abs((int)Deviation) > 720)
        {
            return null;
        }
        return new OffsetDateTime(date.Value.At(time.Value), Offset.FromSeconds(-Deviation * 60));
    }

    /// <summary>
    /// The same as <c>ToOffsetDateTime()?.ToInstant()</c>, computed from the fields without building NodaTime's
    /// intermediate values: the hot path of a profile read, one stamp per row. UTC = local time + deviation.
    /// </summary>
    public Instant? ToInstant() =>
        InstantOf(Date.Year, Date.Month, Date.DayOfMonth, Time.Hour, Time.Minute, Time.Second, Time.Hundredths, Deviation);

    /// <summary><see cref="ToInstant"/> of the 12 bytes of a stamp, read in place: a profile row reader's fast path.</summary>
    internal static Instant? InstantOf(ReadOnlySpan<byte> stamp)
    {
        if (stamp.Length != Size)
        {
            throw new DlmsFormatException($"A date-time has {Size} bytes, not {stamp.Length}.");
        }
        return InstantOf(BinaryPrimitives.ReadUInt16BigEndian(stamp), stamp[2], stamp[3], stamp[5], stamp[6], stamp[7], stamp[8],
            BinaryPrimitives.ReadInt16BigEndian(stamp[9..]));
    }

    private static Instant? InstantOf(int year, int month, int day, int hour, int minute, int second, int hundredths, short deviation) =>
        DayStartTicks(year, month, day) is { } dayStart ? InstantAt(dayStart, hour, minute, second, hundredths, deviation) : null;

    /// <summary>The local midnight starting the day, in ticks from the Unix epoch as if it were UTC; null for no such day.</summary>
    internal static long? DayStartTicks(int year, int month, int day)
    {
        if (year is 0 or > 9999 || month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month))
        {
            return null;
        }
        return unchecked(DaysSinceEpoch(year, month, day) * NodaConstants.TicksPerDay);
    }

    private static readonly long FirstTicks = Instant.MinValue.ToUnixTimeTicks();
    private static readonly long LastTicks = Instant.MaxValue.ToUnixTimeTicks();

    /// <summary>
    /// The instant of a local time of day after <paramref name="dayStartTicks"/>; null when a field is out of range or the
    /// instant is not one NodaTime holds (31 December 9999 late in the day with a deviation that puts UTC in year 10000).
    /// </summary>
    internal static Instant? InstantAt(long dayStartTicks, int hour, int minute, int second, int hundredths, short deviation)
    {
        if (hour > 23 || minute > 59 || second > 59 || (hundredths > 99 && hundredths != CosemTime.NotSpecified)
            || deviation == DeviationNotSpecified || Math.Abs((int)deviation) > 720)
        {
            return null;
        }
        // Within the checked ranges nothing here can overflow.
        unchecked
        {
            long seconds = (hour * 3_600) + (minute * 60) + second + (deviation * 60);
            long ticks = dayStartTicks + (seconds * NodaConstants.TicksPerSecond)
                + (hundredths == CosemTime.NotSpecified ? 0 : hundredths * 10 * NodaConstants.TicksPerMillisecond);
            return ticks < FirstTicks || ticks > LastTicks ? null : Instant.FromUnixTimeTicks(ticks);
        }
    }

    private static int DaysInMonth(int year, int month) =>
        month == 2 ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28) : 30 + ((month + (month >> 3)) & 1);

    // Days from 1970-01-01 in the proleptic Gregorian calendar, by the shifted-year (March first) method: counting
    // years from March puts the leap day last, so a month's first day is a linear function of its number.
    private static long DaysSinceEpoch(int year, int month, int day)
    {
        unchecked
        {
            int y = month <= 2 ? year - 1 : year;
            int era = y / 400; // y >= 0 here: year >= 1
            int yearOfEra = y - (era * 400);
            int dayOfYear = ((153 * (month > 2 ? month - 3 : month + 9)) + 2) / 5 + day - 1;
            int dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            return (era * 146_097L) + dayOfEra - 719_468;
        }
    }
}

/// <summary>date-time [25]: 12 bytes, no length.</summary>
public sealed record DlmsDateTime(CosemDateTime Value) : DlmsValue
{
    public override DataTag Tag => DataTag.DateTime;

    internal override void WriteContent(DlmsWriter writer) => Value.Write(writer);
}

/// <summary>date [26]: 5 bytes, no length.</summary>
public sealed record DlmsDate(CosemDate Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Date;

    internal override void WriteContent(DlmsWriter writer) => Value.Write(writer);
}

/// <summary>time [27]: 4 bytes, no length.</summary>
public sealed record DlmsTime(CosemTime Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Time;

    internal override void WriteContent(DlmsWriter writer) => Value.Write(writer);
}
