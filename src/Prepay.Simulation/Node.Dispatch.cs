using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Policy.Decisions;

namespace Prepay.Simulation;

/// <summary>The node's command dispatcher, its disconnection gate, the held cuts' release and the alerts' sender.</summary>
internal sealed partial class Node
{
    /// <summary>How long a claimed notification is this node's before another may take it (<c>Alerts:ClaimLease</c>).</summary>
    public static readonly Duration ClaimLease = Duration.FromMinutes(2);

    /// <summary>A send that could outlast the lease does not start (<c>Alerts:SendTimeout</c>).</summary>
    public static readonly Duration SendTimeout = Duration.FromSeconds(20);

    /// <summary>A command's retries: 2, 4, 8 … seconds, at most 5 minutes (<c>CommandDispatcher.RetryDelay</c>).</summary>
    public static Duration RetryDelay(int attempts) => Duration.FromSeconds(Math.Min(300, 1L << Math.Min(attempts, 20)));

    // As the dispatcher's claim: due by this node's clock and, with the order guard, the lowest open command of its
    // meter; claimed in one statement that rereads both under the row's lock (FOR UPDATE SKIP LOCKED).
    private void DispatchRound()
    {
        var now = Clock;
        foreach (var commands in world.Db.Commands)
        {
            foreach (var command in commands.Where(c => c.State == CommandState.Queued))
            {
                if (command.NextAttemptAt <= now)
                {
                    Claim(command, now);
                }
                if (world.Guards.HasFlag(Guards.CommandOrder))
                {
                    break; // the meter's later commands wait for this one's acknowledgement
                }
            }
        }
    }

    private void Claim(CommandRow command, Instant now) =>
        world.Db.Write(this, "claim command", () =>
        {
            if (command.State != CommandState.Queued || command.NextAttemptAt > now
                || (world.Guards.HasFlag(Guards.CommandOrder) && world.Db.Commands[command.Meter].Exists(c => c.Id < command.Id && c.State == CommandState.Queued)))
            {
                return WriteResult.Conflict;
            }
            command.Attempts++;
            command.NextAttemptAt = now + RetryDelay(command.Attempts);
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
            if (command.State != CommandState.Queued)
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

    // As the outbox's claim: one statement moves what is due by this node's clock to the lease's end.
    private void AlertRound()
    {
        var now = Clock;
        foreach (var alert in world.Db.Alerts.Where(a => !a.Sent && a.NextAttemptAt <= now))
        {
            ClaimAlert(alert, now);
        }
    }

    private void ClaimAlert(AlertRow alert, Instant claimedAt) =>
        world.Db.Write(this, "claim alert", () =>
        {
            if (alert.Sent || (world.Guards.HasFlag(Guards.AlertClaim) && alert.NextAttemptAt > claimedAt))
            {
                return WriteResult.Conflict;
            }
            alert.NextAttemptAt = claimedAt + ClaimLease;
            return WriteResult.Committed;
        }, result =>
        {
            // A send that could outlast the lease is left for the next claim rather than risk two senders.
            if (result == WriteResult.Committed && Clock <= claimedAt + ClaimLease - SendTimeout)
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
