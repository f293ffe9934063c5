using NodaTime;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// Clock, class 8 version 0 (Blue Book Ed. 12 §4.5.1): 2 time (date-time), 3 time_zone (long, minutes, the
/// deviation's sign: local = UTC − deviation), 4 status, 5 daylight_savings_begin, 6 daylight_savings_end,
/// 7 daylight_savings_deviation, 8 daylight_savings_enabled, 9 clock_base (1 internal crystal). Methods:
/// 1 adjust_to_quarter, 3 adjust_to_minute, 6 shift_time (long, seconds); 2, 4 and 5 (measuring period and
/// preset adjusting) are refused. The meter's time is the injected clock plus an adjustment that setting attribute
/// 2 changes; daylight saving is not modelled (enabled = false).
/// </summary>
public sealed class Clock : CosemObject
{
    private readonly IClock _clock;
    private Duration _adjustment;
    private short _timeZoneMinutes;

    public Clock(ObisCode logicalName, IClock clock, Offset offset = default) : base(logicalName)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _timeZoneMinutes = checked((short)(-offset.Seconds / 60));
    }

    public static ObisCode StandardName { get; } = new(0, 0, 1, 0, 0, 255);

    public override ushort ClassId => 8;

    public override int AttributeCount => 9;

    public override int MethodCount => 6;

    /// <summary>The meter's idea of now: what it stamps on captures.</summary>
    public Instant Now
    {
        get
        {
            lock (Sync)
            {
                return _clock.GetCurrentInstant() + _adjustment;
            }
        }
    }

    public Offset Offset => Offset.FromSeconds(-_timeZoneMinutes * 60);

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(CosemValues.DateTime(CosemDateTime.From((_clock.GetCurrentInstant() + _adjustment).WithOffset(Offset)))),
        3 => AttributeRead.Of(new Long(_timeZoneMinutes)),
        4 => AttributeRead.Of(new Unsigned(0)),
        5 or 6 => AttributeRead.Of(CosemValues.UnspecifiedDateTime),
        7 => AttributeRead.Of(new Integer(0)),
        8 => AttributeRead.Of(new DlmsBoolean(false)),
        _ => AttributeRead.Of(new DlmsEnum(1)),
    };

    protected override DataAccessResult Write(int attributeId, DlmsValue value)
    {
        switch (attributeId, value)
        {
            case (2, OctetString { Value.Length: CosemDateTime.Size } time):
                var target = CosemDateTime.FromOctets(time.Value.Span).ToOffsetDateTime();
                if (target is not { } t)
                {
                    return DataAccessResult.OtherReason;
                }
                _adjustment = t.ToInstant() - _clock.GetCurrentInstant();
                return DataAccessResult.Success;
            case (3, Long zone) when Math.Abs((int)zone.Value) <= 720:
                _timeZoneMinutes = zone.Value;
                return DataAccessResult.Success;
            case (2 or 3, _):
                return DataAccessResult.TypeUnmatched;
            default:
                return DataAccessResult.ReadWriteDenied;
        }
    }

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        switch (methodId, parameters)
        {
            case (1, _):
                RoundTo(Duration.FromMinutes(15));
                return MethodOutcome.Success;
            case (3, _):
                RoundTo(Duration.FromMinutes(1));
                return MethodOutcome.Success;
            case (6, Long seconds) when Math.Abs((int)seconds.Value) <= 900:
                _adjustment += Duration.FromSeconds(seconds.Value);
                return MethodOutcome.Success;
            case (6, _):
                return MethodOutcome.Of(ActionResult.TypeUnmatched);
            default:
                return MethodOutcome.Of(ActionResult.ReadWriteDenied);
        }
    }

    // Blue Book: the time is set to the nearest (+/-) quarter or minute.
    private void RoundTo(Duration step)
    {
        var now = _clock.GetCurrentInstant() + _adjustment;
        long ticks = now.ToUnixTimeTicks();
        long stepTicks = step.BclCompatibleTicks;
        long rounded = (ticks + stepTicks / 2) / stepTicks * stepTicks;
        _adjustment += Instant.FromUnixTimeTicks(rounded) - now;
    }
}
