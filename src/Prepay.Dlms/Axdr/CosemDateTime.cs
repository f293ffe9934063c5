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
