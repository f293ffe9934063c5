using Prepay.Meter.Display;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;

namespace Prepay.Meter;

/// <summary>Fault and tamper injection: what the physical world does to the meter.</summary>
public sealed partial class PrepaidMeter
{
    /// <summary>The terminal cover is opened: CoverOpen, latched; the relay opens if the policy says so.</summary>
    public IReadOnlyList<MeterOutput> OpenCover() => Tamper(Alarms.CoverOpen, new CoverOpen(_now));

    /// <summary>A magnet is held to the meter: MagneticTamper, latched; the relay opens if the policy says so.</summary>
    public IReadOnlyList<MeterOutput> ApplyMagnet() => Tamper(Alarms.MagneticTamper, new MagneticTamper(_now));

    /// <summary>Forces the supply voltage (0.1 V) until called with null; OverVoltage/UnderVoltage once per excursion.</summary>
    public IReadOnlyList<MeterOutput> SetSupplyVoltage(int? deciVolts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deciVolts ?? 0);
        _voltageOverride = deciVolts;
        Evaluate();
        return Flush();
    }

    /// <summary>Adds an appliance load (W) on top of the profile until set back to 0; may trip Overload.</summary>
    public IReadOnlyList<MeterOutput> SetExtraLoad(int watts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(watts);
        _extraLoadWatts = watts;
        Evaluate();
        return Flush();
    }

    /// <summary>Mains lost: no consumption, keypad and commands dead, no readings; the clock keeps running.</summary>
    public IReadOnlyList<MeterOutput> CutPower()
    {
        if (!IsOutage)
        {
            _alarms |= Alarms.PowerOutage;
            Emit(new PowerOutage(_now));
        }

        return Flush();
    }

    /// <summary>Mains back: PowerRestored, then the rules are applied at once (e.g. friendly hours ended meanwhile).</summary>
    public IReadOnlyList<MeterOutput> RestorePower()
    {
        if (IsOutage)
        {
            _alarms &= ~Alarms.PowerOutage;
            Emit(new PowerRestored(_now));
            Evaluate();
        }

        return Flush();
    }

    private IReadOnlyList<MeterOutput> Tamper(Alarms alarm, MeterOutput raised)
    {
        if ((_alarms & alarm) == 0)
        {
            _alarms |= alarm;
            Emit(raised);
            if (_policy.DisconnectOnTamper && !_policy.IsProtected)
            {
                _relay.Open(DisconnectReasons.Tamper, _now, _outputs);
            }
        }

        return Flush();
    }

    private void ClearTamperAlarms()
    {
        _alarms &= ~(Alarms.CoverOpen | Alarms.MagneticTamper);
        Emit(new TamperCleared(_now));
        _relay.Release(DisconnectReasons.Tamper, _now, _outputs);
    }
}
