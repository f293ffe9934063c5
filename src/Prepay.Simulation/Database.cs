using NodaTime;
using Prepay.Ledger.Transactions;

namespace Prepay.Simulation;

internal enum CommandKind { Credit, Disconnect, Connect }

internal enum CommandState { Queued, Acknowledged, Withdrawn }

internal enum WriteResult { Committed, Conflict, Failed }

/// <summary>A row of the command queue: per meter, ids increase in the order commands are issued.</summary>
internal sealed class CommandRow(int meter, long id, CommandKind kind, long wh)
{
    public int Meter { get; } = meter;
    public long Id { get; } = id;
    public CommandKind Kind { get; } = kind;
    public long Wh { get; } = wh;
    public CommandState State { get; set; }
    public int Attempts { get; set; }

    /// <summary>When it may be claimed (again): a claim moves it on by the retry's back-off.</summary>
    public Instant NextAttemptAt { get; set; }
}

internal sealed record VendRow(long VendId, string Key, int Meter, long AmountMinor, long Wh, long CommandId);

/// <summary>A notification in the outbox, keyed by what caused it so that one event makes one notification.</summary>
internal sealed class AlertRow(long id, string key)
{
    public long Id { get; } = id;
    public string Key { get; } = key;
    public bool Sent { get; set; }

    /// <summary>When it may be claimed (again): a claim moves it to the lease's end.</summary>
    public Instant NextAttemptAt { get; set; }
}

/// <summary>A cut the gate held: queued again once the policy allows it.</summary>
internal sealed class HeldCut(int meter, Instant nextAllowedAt)
{
    public int Meter { get; } = meter;
    public Instant NextAllowedAt { get; } = nextAllowedAt;
    public bool Open { get; set; } = true;
}

/// <summary>
/// The database: committed state only. A write reaches it after a latency, is applied whole or not at all (its
/// function checks the constraints at that moment and returns <see cref="WriteResult.Conflict"/> having changed
/// nothing), and its answer reaches the writer after another: a node that dies in between never hears it, though
/// what it wrote stays written. A write may fail or be slow, as this seed's <see cref="FaultPlan"/> says.
/// </summary>
internal sealed class Database(World world)
{
    public Dictionary<string, VendRow> VendsByKey { get; } = new(StringComparer.Ordinal);
    public List<VendRow> Vends { get; } = [];
    public List<CommandRow>[] Commands { get; } = [.. Enumerable.Range(0, world.Options.Meters).Select(_ => new List<CommandRow>())];
    public HashSet<(int Meter, Instant At)> Readings { get; } = [];

    /// <summary>Each meter's newest status (an older one arriving late does not replace it).</summary>
    public Instant?[] Statuses { get; } = new Instant?[world.Options.Meters];
    public HashSet<(int Meter, string Kind, Instant At)> Events { get; } = [];
    public List<AlertRow> Alerts { get; } = [];
    public HashSet<string> AlertKeys { get; } = new(StringComparer.Ordinal);
    public List<HeldCut> Held { get; } = [];

    /// <summary>Account balances, minor units, by account code (sorted: read in the same order on every run).</summary>
    public SortedDictionary<string, long> Balances { get; } = new(StringComparer.Ordinal);

    public long Transactions { get; private set; }

    /// <summary>The database is unavailable (its primary died, the standby is not promoted yet): every write fails.</summary>
    public bool Down => _outages > 0;

    private int _outages;

    public void GoDown() => _outages++;

    public void ComeBack() => _outages--;

    /// <summary>The slowest a write may be: a statement timeout. Leases outlast it and a sender's give-up together.</summary>
    public static readonly Duration MaxSlowWrite = Duration.FromSeconds(8);

    private long _nextCommandId = 1;

    public CommandRow QueueCommand(int meter, CommandKind kind, long wh)
    {
        var row = new CommandRow(meter, _nextCommandId++, kind, wh);
        Commands[meter].Add(row);
        world.Nodes.ForEach(n => n.Notify(NodeWake.Commands));
        return row;
    }

    public void QueueAlert(string key)
    {
        if (AlertKeys.Add(key))
        {
            Alerts.Add(new AlertRow(Alerts.Count + 1, key));
            world.Nodes.ForEach(n => n.Notify(NodeWake.Alerts));
        }
    }

    /// <summary>
    /// Applies a ledger transaction's postings, refusing (and changing nothing) when an account would fall below its
    /// minimum: the database's CHECK on floats and customer credit.
    /// </summary>
    public bool TryPost(LedgerTransaction transaction)
    {
        var net = transaction.NetByAccount();
        var minimums = transaction.Postings.SelectMany(p => new[] { p.From, p.To }).DistinctBy(a => a.Value).ToDictionary(a => a.Value, a => a.MinimumBalance);
        foreach (var (account, change) in net.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (minimums[account] is { } min && Balances.GetValueOrDefault(account) + change < min)
            {
                return false;
            }
        }
        world.Invariants.TransactionBalanced(transaction, net);
        foreach (var (account, change) in net)
        {
            Balances[account] = Balances.GetValueOrDefault(account) + change;
        }
        Transactions++;
        return true;
    }

    /// <summary>Sends a write from <paramref name="node"/>: applied after a latency, answered after another.</summary>
    public void Write(Node node, string label, Func<WriteResult> apply, Action<WriteResult> then)
    {
        var incarnation = node.Incarnation;
        var faults = world.Faults;
        var s = world.Scheduler;
        var latency = s.Chance(faults.SlowWrite) ? s.Between(Duration.FromSeconds(1), MaxSlowWrite) : s.Between(Duration.FromMilliseconds(1), Duration.FromMilliseconds(30));
        s.After(latency, label, () =>
        {
            // A writer that died before its COMMIT reached the server is rolled back, unless the COMMIT was already on its way.
            var result = !node.IsAlive(incarnation) && s.Chance(0.5) ? WriteResult.Failed
                : Down || s.Chance(faults.WriteFailure) ? WriteResult.Failed
                : apply();
            s.After(s.Between(Duration.FromMilliseconds(1), Duration.FromMilliseconds(10)), label + " answered", () =>
            {
                if (node.IsAlive(incarnation))
                {
                    then(result);
                }
            });
        });
    }
}
