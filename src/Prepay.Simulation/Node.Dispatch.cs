using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Policy.Decisions;

namespace Prepay.Simulation;

/// <summary>The node's command dispatcher, its disconnection gate, the held cuts' release and the alerts' sender.</summary>
internal sealed partial class Node
{
    /// <summary>How long a claimed command or notification is this node's before another may take it.</summary>
    public static readonly Duration ClaimLease = Duration.FromSeconds(20);

    private void DispatchRound()
    {
        var now = world.Scheduler.Now;
        foreach (var commands in world.Db.Commands)
        {
            foreach (var command in commands.Where(c => c.State == CommandState.Queued))
            {
                if (command.ClaimUntil <= now)
                {
                    Claim(command);
                }
                if (world.Guards.HasFlag(Guards.CommandOrder))
                {
                    break; // the meter's later commands wait for this one's acknowledgement
                }
            }
        }
    }

    private void Claim(CommandRow command) =>
        world.Db.Write(this, "claim command", () =>
        {
            if (command.State != CommandState.Queued || command.ClaimUntil > world.Scheduler.Now)
            {
                return WriteResult.Conflict;
            }
            command.ClaimedBy = Incarnation;
            command.ClaimUntil = world.Scheduler.Now + ClaimLease;
            command.Attempts++;
            return WriteResult.Committed;
        }, result =>
        {
            if (result == WriteResult.Committed)
            {
                Send(command);
            }
        });

    private void Send(CommandRow command)
    {
        if (command.Kind == CommandKind.Disconnect && world.Guards.HasFlag(Guards.DisconnectGate)
            && world.Decide(world.Meters[command.Meter], Clock) is DisconnectionDecision.Deny deny)
        {
            Hold(command, deny);
            return;
        }
        if (command.Kind == CommandKind.Disconnect)
        {
            world.Invariants.CutSent(world.Meters[command.Meter], this);
        }
        MeterCommand message = command.Kind switch
        {
            CommandKind.Credit => new AddCredit(command.Id, command.Wh),
            CommandKind.Disconnect => new Disconnect(command.Id),
            _ => new Connect(command.Id),
        };
        world.Broker.SendCommand(command.Meter, message);
    }

    // Withdrawn so it holds back none of the meter's later commands; held until the policy's next allowed instant,
    // or refused for good when time alone will not allow it (a medical household).
    private void Hold(CommandRow command, DisconnectionDecision.Deny deny) =>
        world.Db.Write(this, "hold cut", () =>
        {
            if (command.State != CommandState.Queued || command.ClaimedBy != Incarnation)
            {
                return WriteResult.Conflict;
            }
            command.State = CommandState.Withdrawn;
            if (deny.NextAllowedAt is { } next)
            {
                world.Db.Held.Add(new HeldCut(command.Meter, next));
            }
            return WriteResult.Committed;
        }, _ => { });

    private void HeldRound()
    {
        foreach (var held in world.Db.Held.Where(h => h.Open && h.NextAllowedAt <= Clock))
        {
            world.Db.Write(this, "release cut", () =>
            {
                if (!held.Open)
                {
                    return WriteResult.Conflict;
                }
                held.Open = false;
                world.Db.QueueCommand(held.Meter, CommandKind.Disconnect, 0);
                return WriteResult.Committed;
            }, _ => { });
        }
    }

    private void AlertRound()
    {
        var now = world.Scheduler.Now;
        foreach (var alert in world.Db.Alerts.Where(a => !a.Sent && a.ClaimUntil <= now))
        {
            ClaimAlert(alert);
        }
    }

    private void ClaimAlert(AlertRow alert) =>
        world.Db.Write(this, "claim alert", () =>
        {
            if (alert.Sent || (world.Guards.HasFlag(Guards.AlertClaim) && alert.ClaimUntil > world.Scheduler.Now))
            {
                return WriteResult.Conflict;
            }
            alert.ClaimedBy = Incarnation;
            alert.ClaimUntil = world.Scheduler.Now + ClaimLease;
            return WriteResult.Committed;
        }, result =>
        {
            if (result == WriteResult.Committed)
            {
                world.Mail.Deliver(alert, this);
                Mark(alert, Clock + ClaimLease / 2);
            }
        });

    // The mark waits an unavailable database out, up to half the lease; then the sender gives up and the
    // notification may go again once the lease is over (the one resend the outbox allows).
    private void Mark(AlertRow alert, Instant giveUpAt) =>
        world.Db.Write(this, "mark alert", () =>
        {
            alert.Sent = true;
            return WriteResult.Committed;
        }, result =>
        {
            if (result == WriteResult.Committed)
            {
                return;
            }
            if (Clock >= giveUpAt)
            {
                world.Mail.GaveUp(alert, this);
                return;
            }
            Later(Duration.FromSeconds(1), "mark retry", () => Mark(alert, giveUpAt));
        });
}
