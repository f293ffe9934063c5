using NodaTime;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using DlmsClock = Prepay.Dlms.Cosem.Classes.Clock;

namespace Prepay.HeadEnd.Dlms;

/// <summary>The meter's clock 0.0.1.0.0.255 (class 8, attribute 2 time): read as an instant, set from one.</summary>
public static class ClockOperations
{
    private static readonly CosemAttributeDescriptor Time = new(8, DlmsClock.StandardName, 2);

    public static async Task<DlmsOutcome<Instant>> ReadClockAsync(this DlmsMeterSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var read = await session.GetAsync(Time, null, cancellationToken).ConfigureAwait(false);
        return read.Map(v => AsInstant(v) is { } instant
            ? DlmsOutcome.Success(instant)
            : DlmsOutcome.Reject<Instant>(DlmsProblem.UnusableValue, "The meter's time is not a complete date-time with a deviation."));
    }

    /// <summary>
    /// Sets the meter's time to <paramref name="now"/>, written with <paramref name="offset"/> as the deviation
    /// (Blue Book: local time = UTC − deviation; UTC when not given).
    /// </summary>
    public static async Task<DlmsOutcome<Instant>> SetClockAsync(this DlmsMeterSession session, Instant now, Offset offset = default,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var value = CosemValues.DateTime(CosemDateTime.From(now.WithOffset(offset)));
        var set = await session.SetAsync(Time, value, cancellationToken).ConfigureAwait(false);
        return set.Map(_ => DlmsOutcome.Success(now));
    }

    /// <summary>A date-time cell (octet-string of 12 or the date-time type) as an instant; null when unspecified.</summary>
    internal static Instant? AsInstant(DlmsValue value)
    {
        try
        {
            return value switch
            {
                OctetString { Value.Length: CosemDateTime.Size } o => CosemDateTime.FromOctets(o.Value.Span).ToOffsetDateTime()?.ToInstant(),
                DlmsDateTime d => d.Value.ToOffsetDateTime()?.ToInstant(),
                _ => null,
            };
        }
        catch (Prepay.Dlms.DlmsFormatException)
        {
            return null;
        }
    }
}
