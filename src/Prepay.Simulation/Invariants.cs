using Prepay.Ledger.Transactions;
using Prepay.Meter.Commands;
using Prepay.Meter.Events;
using Prepay.Policy.Decisions;

namespace Prepay.Simulation;

/// <summary>An invariant the run broke: its name, and what broke it.</summary>
public sealed class InvariantViolationException(string invariant, string detail) : Exception($"{invariant}: {detail}")
{
    public string Invariant { get; } = invariant;

    public string Detail { get; } = detail;
}

/// <summary>
/// What must hold at every step, checked where the step changes it and over the whole world after every event, and
/// what must hold once the world has settled (<see cref="Settled"/>). They watch the world from outside, the way an
/// auditor reads the database and the meters: none of them is one of the guards they check.
/// </summary>
internal sealed class Invariants(World world)
{
    private readonly Dictionary<string, int> _vendsPerKey = new(StringComparer.Ordinal);
    private readonly long[] _soldWh = new long[world.Options.Meters];

    /// <summary>Credit sold to each meter, Wh.</summary>
    public IReadOnlyList<long> SoldWh => _soldWh;

    public void TransactionBalanced(LedgerTransaction transaction, IReadOnlyDictionary<string, long> net)
    {
        if (net.Values.Sum() != 0)
        {
            throw new InvariantViolationException("ledger-balances", $"transaction {transaction.Id} nets {net.Values.Sum()}");
        }
    }

    public void VendStored(VendRow vend)
    {
        var count = _vendsPerKey[vend.Key] = _vendsPerKey.GetValueOrDefault(vend.Key) + 1;
        if (count > 1)
        {
            throw new InvariantViolationException("credit-sold-once", $"idempotency key {vend.Key} has {count} vends: the customer paid once and was sold credit {count} times");
        }
        _soldWh[vend.Meter] += vend.Wh;
    }

    public void CommandApplied(SimulatedMeter meter, long id)
    {
        if (meter.HasApplied(id))
        {
            throw new InvariantViolationException("credit-applied-once", $"meter {meter.Index} applied command {id} twice");
        }
        if (meter.Applied.Count > 0 && meter.Applied[^1] > id)
        {
            throw new InvariantViolationException("command-order", $"meter {meter.Index} applied command {id} after command {meter.Applied[^1]}, issued later");
        }
    }

    public void Acknowledged(SimulatedMeter meter, CommandAck ack)
    {
        var applied = ack is Prepay.Meter.Commands.CommandApplied || ack is CommandDuplicate { WasApplied: true };
        if (applied && !meter.HasApplied(ack.CommandId))
        {
            throw new InvariantViolationException("acknowledged-means-applied", $"command {ack.CommandId} stored as applied by meter {meter.Index}, which never applied it");
        }
    }

    /// <summary>
    /// A cut left <paramref name="node"/> now: the policy must allow a cut at the true instant, give or take the most
    /// a node's clock may be off (the gate reads the node's clock). A medical household's never is.
    /// </summary>
    public void CutSent(SimulatedMeter meter, Node node)
    {
        var now = world.Scheduler.Now;
        var skew = world.MaxSkew;
        if (world.Decide(meter, now) is DisconnectionDecision.Deny deny
            && world.Decide(meter, now - skew) is DisconnectionDecision.Deny
            && world.Decide(meter, now + skew) is DisconnectionDecision.Deny)
        {
            throw new InvariantViolationException("policy-allows-cut", $"node {node.Index} sent a cut to meter {meter.Index} at {now.InZone(World.Zone):yyyy-MM-dd HH:mm:ss} local, which {deny.Rule} forbids");
        }
    }

    /// <summary>After every event: the ledger sums to zero and no meter holds more credit than it was sold.</summary>
    public void AfterStep()
    {
        long sum = 0;
        foreach (var (account, balance) in world.Db.Balances)
        {
            sum += balance;
            if (balance < 0 && (account.StartsWith("vendor/", StringComparison.Ordinal) || account.StartsWith("customer/", StringComparison.Ordinal)))
            {
                throw new InvariantViolationException("ledger-balances", $"{account} is overdrawn: {balance}");
            }
        }
        if (sum != 0)
        {
            throw new InvariantViolationException("ledger-balances", $"balances sum to {sum}");
        }
        foreach (var meter in world.Meters)
        {
            if (meter.CreditApplied > _soldWh[meter.Index])
            {
                throw new InvariantViolationException("credit-applied-once", $"meter {meter.Index} applied {meter.CreditApplied} Wh of credit, {_soldWh[meter.Index]} Wh sold");
            }
        }
    }

    /// <summary>Once the world has settled: nothing answered, accepted, queued or raised was lost.</summary>
    public void Settled()
    {
        var db = world.Db;
        foreach (var (key, vendId) in world.Answered)
        {
            if (!db.VendsByKey.TryGetValue(key, out var vend) || vend.VendId != vendId)
            {
                throw new InvariantViolationException("answered-vend-kept", $"vend {vendId} answered 201 for key {key} is not in the database");
            }
        }
        foreach (var command in db.Commands.SelectMany(c => c).Where(c => c.State == CommandState.Queued))
        {
            throw new InvariantViolationException("no-command-lost", $"command {command.Id} ({command.Kind}) for meter {command.Meter} is still queued after {command.Attempts} attempts");
        }
        foreach (var vend in db.Vends)
        {
            if (!world.Meters[vend.Meter].HasApplied(vend.CommandId))
            {
                throw new InvariantViolationException("no-command-lost", $"vend {vend.VendId}'s credit (command {vend.CommandId}) never reached meter {vend.Meter}");
            }
        }
        foreach (var meter in world.Meters.Where(m => m.CreditApplied != _soldWh[m.Index]))
        {
            throw new InvariantViolationException("no-command-lost", $"meter {meter.Index} applied {meter.CreditApplied} Wh of credit, {_soldWh[meter.Index]} Wh sold");
        }
        foreach (var message in world.Broker.Accepted)
        {
            var stored = message.Output switch
            {
                Reading r => db.Readings.Contains((message.Meter, r.At)),
                StatusReport r => db.Statuses[message.Meter] >= r.At,
                CommandAck a => db.Commands[message.Meter].Find(c => c.Id == a.CommandId)?.State != CommandState.Queued,
                _ => db.Events.Contains((message.Meter, message.Output.GetType().Name, message.Output.At)),
            };
            if (!stored)
            {
                throw new InvariantViolationException("no-message-lost", $"meter {message.Meter}'s {message.Output.GetType().Name} of {message.Output.At} was taken by the broker and never stored");
            }
        }
        foreach (var alert in db.Alerts.Where(a => !a.Sent || !world.Mail.Delivered(a)))
        {
            throw new InvariantViolationException("no-alert-lost", $"notification {alert.Key} was {(alert.Sent ? "marked sent" : "never sent")}{(world.Mail.Delivered(alert) ? "" : " and never delivered")}");
        }
    }
}
