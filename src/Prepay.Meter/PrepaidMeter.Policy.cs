using Prepay.Meter.Credit;
using Prepay.Meter.Display;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;

namespace Prepay.Meter;

/// <summary>The meter's rules, evaluated after every slice of time and every input.</summary>
public sealed partial class PrepaidMeter
{
    private void Evaluate()
    {
        if (IsOutage)
        {
            return;
        }

        if (_overloadRetryAt is { } retry && _now >= retry)
        {
            _overloadRetryAt = null;
            _alarms &= ~Alarms.Overload;
            _relay.Release(DisconnectReasons.Overload, _now, _outputs);
        }

        EvaluateVoltage();
        EvaluateCredit();
        EvaluateOverload();
    }

    // Low credit once per crossing; at zero: emergency credit, else keep supplying if protected or friendly,
    // else disconnect. Credit back above zero lifts CreditExhausted (at once, or after a button press).
    // None of it while the credit is held centrally: the server decides supply then.
    private void EvaluateCredit()
    {
        if (IsCentral)
        {
            return;
        }

        long credit = _credit.CreditWh;
        if (credit > _policy.LowCreditWh)
        {
            _lowArmed = true;
        }
        else if (_lowArmed)
        {
            _lowArmed = false;
            Emit(new LowCredit(_now, credit, _policy.LowCreditWh));
        }

        if (credit > 0)
        {
            _exhaustedArmed = true;
            if (_relay.Has(DisconnectReasons.CreditExhausted))
            {
                if (_policy.ReconnectMode == ReconnectMode.AfterButtonPress)
                {
                    _relay.Open(DisconnectReasons.AwaitingButtonPress, _now, _outputs);
                }

                _relay.Release(DisconnectReasons.CreditExhausted, _now, _outputs);
            }

            return;
        }

        if (_exhaustedArmed)
        {
            _exhaustedArmed = false;
            Emit(new CreditExhausted(_now, credit));
        }

        if (EmergencyOffered && _policy.EmergencyActivation == EmergencyActivation.Automatic)
        {
            TakeEmergency();
            EvaluateCredit();
            return;
        }

        if (!MaySupplyWithoutCredit())
        {
            _relay.Open(DisconnectReasons.CreditExhausted, _now, _outputs);
        }
    }

    private bool MaySupplyWithoutCredit() =>
        _policy.IsProtected
        || (IsFriendlyNow() && (_policy.FriendlyDebtLimitWh is not { } limit || _credit.CreditWh > -limit));

    private bool IsFriendlyNow() => _policy.FriendlyHours.Contains(_now.InZone(_zone).LocalDateTime);

    private void TakeEmergency()
    {
        _credit.TakeEmergency(_policy.EmergencyCreditWh);
        Emit(new EmergencyCreditActivated(_now, _policy.EmergencyCreditWh));
    }

    private void EvaluateVoltage()
    {
        int volts = DeciVolts();
        SetAlarm(Alarms.OverVoltage, volts > OverVoltageDeciVolts, () => new OverVoltage(_now, volts));
        SetAlarm(Alarms.UnderVoltage, volts < UnderVoltageDeciVolts, () => new UnderVoltage(_now, volts));
    }

    // The load is only seen while the relay is closed; a trip retries after OverloadRetrySeconds.
    private void EvaluateOverload()
    {
        if (_powerLimitWatts is not ( > 0 and var limit) || _relay.State == RelayState.Disconnected)
        {
            return;
        }

        int watts = DemandWatts();
        SetAlarm(Alarms.Overload, watts > limit, () => new Overload(_now, watts, limit));
        if (watts > limit && !_policy.IsProtected)
        {
            _overloadRetryAt = _now + NodaTime.Duration.FromSeconds(_config.OverloadRetrySeconds);
            _relay.Open(DisconnectReasons.Overload, _now, _outputs);
        }
    }

    private void SetAlarm(Alarms alarm, bool active, Func<MeterOutput> raised)
    {
        if (active && (_alarms & alarm) == 0)
        {
            _alarms |= alarm;
            Emit(raised());
        }
        else if (!active)
        {
            _alarms &= ~alarm;
        }
    }
}
