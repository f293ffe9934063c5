using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;

namespace Prepay.Meter;

/// <summary>
/// Where the customer's credit is held (<see cref="SetCreditMode"/>, docs/mqtt.md <c>setCreditMode</c>). While
/// <see cref="CreditMode.Central"/> the server prices every reading and decides supply: the meter counts nothing down,
/// raises no credit events, takes no emergency credit and never cuts for credit; the server's Connect is obeyed at
/// any credit (tamper still refuses it) and its Disconnect as always (protected customers still refuse it). An
/// AddCredit is refused: there is no register of the meter's to add to. A credit token typed at the keypad is still
/// accepted (it was paid for as meter credit): its energy waits in the register, not counted down, and is still there
/// when the meter takes its credit back, on top of what the server then hands over.
/// </summary>
public sealed partial class PrepaidMeter
{
    // Its last whole reading boundary: ISO text for one reaches 9999-12-31T23:45Z, the next does not exist.
    private static readonly Instant LastSchedulable = Instant.FromUtc(9999, 12, 31, 23, 45);

    private CreditMode _creditMode;
    private CreditModeChange? _pendingCreditMode;
    private long _lastCreditModeCommandId = long.MinValue;

    /// <summary>Where the customer's credit is held now.</summary>
    public CreditMode CreditMode => _creditMode;

    /// <summary>The change of credit mode waiting for its reading boundary; null when none.</summary>
    public CreditModeChange? PendingCreditModeChange => _pendingCreditMode;

    private bool IsCentral => _creditMode == CreditMode.Central;

    private static (CommandRejection Reason, string Detail)? Valid(SetCreditMode command) =>
        command.CreditWh < 0 ? (CommandRejection.Invalid, "Credit to start from is at least 0 Wh.")
        : command.Mode == CreditMode.Central && command.CreditWh != 0 ? (CommandRejection.Invalid, "A meter handing its credit over is given none.")
        : command.Mode is not (CreditMode.Meter or CreditMode.Central) ? (CommandRejection.Invalid, $"Unknown credit mode {command.Mode}.")
        : command.From >= LastSchedulable ? (CommandRejection.Invalid, "No reading boundary follows that instant.")
        : null;

    // Scheduled, not done: the interval under way is counted where it began, so no interval is paid for twice or not
    // at all. The newest command decides alone: a pending change it does not repeat is dropped.
    private (CommandRejection Reason, string Detail)? SetCreditModeCommand(SetCreditMode command)
    {
        // Already there: nothing to change, unless credit comes with it. A switch to central withdrawn before its
        // handover still brings the top-ups the server took centrally meanwhile; they are added at the boundary.
        if (command.Mode == _creditMode && !(command.Mode == CreditMode.Meter && command.CreditWh > 0))
        {
            _pendingCreditMode = null;
            return null;
        }

        var earliest = command.From > _now ? command.From - Duration.Epsilon : _now;
        _pendingCreditMode = new CreditModeChange(command.Mode, NextBoundary(earliest, ReadingInterval), command.CreditWh);
        return null;
    }

    // Called right after an interval reading: that reading (the interval ending now) was counted where the credit was.
    // A boundary passed in the dark (no reading) does not count: the next reading still covers time before it.
    private void ChangeCreditModeIfDue()
    {
        if (_pendingCreditMode is not { } change || change.At > _now)
        {
            return;
        }

        _pendingCreditMode = null;
        if (change.Mode == CreditMode.Central)
        {
            Emit(new CreditHandedOver(_now, _credit.CreditWh, _credit.EmergencyOwedWh));
            _credit.Clear();
            _creditMode = CreditMode.Central;
            _relay.Release(DisconnectReasons.CreditExhausted | DisconnectReasons.AwaitingButtonPress, _now, _outputs);
            return;
        }

        _creditMode = CreditMode.Meter;
        _credit.Add(change.CreditWh); // on top of any token typed while central; nothing is owed
        _lowArmed = true;
        _exhaustedArmed = true; // the meter's own rules start afresh: a register at zero is exhausted now
        Emit(new CreditTakenOver(_now, change.CreditWh));
        Evaluate();
    }
}
