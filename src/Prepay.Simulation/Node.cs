using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Meter.Commands;
using Prepay.Meter.Events;

namespace Prepay.Simulation;

internal enum NodeWake { Commands, Alerts }

internal sealed record VendRequest(string Key, int Meter, long AmountMinor);

internal sealed record VendAnswer(int Status, long VendId);

/// <summary>
/// A <c>prepay serve</c> node as the protocol has it: it keeps nothing in memory that matters (a crash loses only
/// what was not committed), sells through one database transaction (vend, ledger, credit command), takes meters'
/// messages from its broker session and acknowledges each after its batch is committed, dispatches commands it
/// claims under a lease, one at a time per meter, past the disconnection gate, and sends notifications it claims
/// under a lease. Its clock is off the true time by its skew.
/// </summary>
internal sealed partial class Node(World world, int index)
{
    public const long WhPerMinor = 4; // 0.25 per kWh, in minor units: 250 minor/kWh

    private static readonly Duration IngestBatch = Duration.FromMilliseconds(200);
    private static readonly Currency Zar = Currency.ZAR;
    private readonly List<Uplink> _batch = [];
    private bool _batchScheduled;

    public int Index { get; } = index;

    public long Incarnation { get; private set; }

    public bool Alive { get; private set; }

    public Duration Skew { get; set; }

    /// <summary>This node's clock.</summary>
    public Instant Clock => world.Scheduler.Now + Skew;

    public bool IsAlive(long incarnation) => Alive && Incarnation == incarnation;

    public void Start()
    {
        Incarnation = world.NextIncarnation();
        Alive = true;
        _batch.Clear();
        _batchScheduled = false;
        world.Broker.Connected(this);
        Every(Duration.FromSeconds(10), "dispatch poll", DispatchRound);
        Every(Duration.FromSeconds(10), "alerts poll", AlertRound);
        Every(Duration.FromSeconds(30), "held cuts", HeldRound);
    }

    /// <summary>SIGKILL: whatever was in memory is gone; what was committed stays.</summary>
    public void Crash() => Alive = false;

    /// <summary>A NOTIFY from the database: look now rather than at the next poll.</summary>
    public void Notify(NodeWake what)
    {
        if (!Alive)
        {
            return;
        }
        var incarnation = Incarnation;
        world.Scheduler.After(world.Scheduler.Between(Duration.FromMilliseconds(1), Duration.FromMilliseconds(20)), "notified", () =>
        {
            if (IsAlive(incarnation))
            {
                (what == NodeWake.Commands ? (Action)DispatchRound : AlertRound)();
            }
        });
    }

    /// <summary><c>POST /vends</c> with an idempotency key: answered 201 with the vend, the stored vend again for a known key, 409 without float, 503 when the write failed.</summary>
    public void Vend(VendRequest request, Action<VendAnswer> answer)
    {
        if (world.Db.VendsByKey.TryGetValue(request.Key, out var known))
        {
            answer(new VendAnswer(201, known.VendId));
            return;
        }
        var wh = request.AmountMinor * WhPerMinor;
        var vendId = world.NextVendId();
        var floatRefused = false;
        world.Db.Write(this, "vend", () =>
        {
            if (world.Guards.HasFlag(Guards.IdempotencyClaim) && world.Db.VendsByKey.ContainsKey(request.Key))
            {
                return WriteResult.Conflict;
            }
            var amount = new Money(request.AmountMinor, Zar);
            var transaction = new LedgerTransaction.Builder(world.Guid(), TransactionKind.Vend, $"vend {vendId}")
                .Move(AccountCode.VendorFloat(World.Vendor, Zar.Code), AccountCode.CustomerCredit(world.Customer(request.Meter), Zar.Code), amount)
                .Move(AccountCode.CustomerCredit(world.Customer(request.Meter), Zar.Code), AccountCode.EnergyRevenue(Zar.Code), amount)
                .Build();
            if (!world.Db.TryPost(transaction))
            {
                floatRefused = true;
                return WriteResult.Conflict;
            }
            var command = world.Db.QueueCommand(request.Meter, CommandKind.Credit, wh);
            var vend = new VendRow(vendId, request.Key, request.Meter, request.AmountMinor, wh, command.Id);
            world.Db.VendsByKey[request.Key] = vend;
            world.Db.Vends.Add(vend);
            world.Invariants.VendStored(vend);
            return WriteResult.Committed;
        }, result =>
        {
            if (result == WriteResult.Committed)
            {
                answer(new VendAnswer(201, vendId));
            }
            else if (floatRefused)
            {
                answer(new VendAnswer(409, 0));
            }
            else if (result == WriteResult.Conflict && world.Db.VendsByKey.TryGetValue(request.Key, out var first))
            {
                answer(new VendAnswer(201, first.VendId));
            }
            else
            {
                answer(new VendAnswer(503, 0));
            }
        });
    }

    /// <summary>An operator's command through this node: queued; the gate decides when a cut may go.</summary>
    public void Operator(int meter, CommandKind kind) =>
        world.Db.Write(this, "operator command", () =>
        {
            world.Db.QueueCommand(meter, kind, 0);
            return WriteResult.Committed;
        }, _ => { });

    /// <summary>A message from the broker: stored with the others of its batch, acknowledged after their commit.</summary>
    public void Receive(Uplink message)
    {
        if (!world.Guards.HasFlag(Guards.AckAfterCommit))
        {
            world.Broker.Acknowledge(this, message);
        }
        _batch.Add(message);
        if (!_batchScheduled)
        {
            _batchScheduled = true;
            var incarnation = Incarnation;
            world.Scheduler.After(IngestBatch, "ingest batch", () =>
            {
                if (IsAlive(incarnation))
                {
                    _batchScheduled = false;
                    var batch = _batch.ToList();
                    _batch.Clear();
                    Store(batch);
                }
            });
        }
    }

    // A failed write is tried again (the head-end waits an unavailable database out): the messages stay unacknowledged meanwhile.
    private void Store(List<Uplink> batch) =>
        world.Db.Write(this, "ingest", () =>
        {
            foreach (var message in batch)
            {
                Ingest(message);
            }
            return WriteResult.Committed;
        }, result =>
        {
            if (result != WriteResult.Committed)
            {
                Later(Duration.FromSeconds(1), "ingest retry", () => Store(batch));
                return;
            }
            foreach (var message in batch.Where(m => !m.Acknowledged))
            {
                world.Broker.Acknowledge(this, message);
            }
        });

    private void Ingest(Uplink message)
    {
        var db = world.Db;
        var meter = message.Meter;
        switch (message.Output)
        {
            case Reading reading:
                db.Readings.Add((meter, reading.At));
                break;
            case StatusReport status:
                if (db.Statuses[meter] is not { } newest || newest < status.At)
                {
                    db.Statuses[meter] = status.At;
                }
                break;
            case CommandAck ack:
                var command = db.Commands[meter].Find(c => c.Id == ack.CommandId);
                if (command is { State: CommandState.Queued })
                {
                    world.Invariants.Acknowledged(world.Meters[meter], ack);
                    command.State = CommandState.Acknowledged;
                }
                break;
            default:
                var kind = message.Output.GetType().Name;
                if (db.Events.Add((meter, kind, message.Output.At)) && message.Output is LowCredit or CreditExhausted or OverVoltage)
                {
                    db.QueueAlert($"{kind}:{meter}:{message.Output.At.ToUnixTimeTicks()}");
                }
                break;
        }
    }

    /// <summary>Runs <paramref name="body"/> later if this incarnation is still alive then: a restarted node remembers nothing.</summary>
    private void Later(Duration delay, string label, Action body)
    {
        var incarnation = Incarnation;
        world.Scheduler.After(delay, label, () =>
        {
            if (IsAlive(incarnation))
            {
                body();
            }
        });
    }

    private void Every(Duration period, string label, Action body)
    {
        var incarnation = Incarnation;
        void Loop()
        {
            if (!IsAlive(incarnation))
            {
                return;
            }
            body();
            world.Scheduler.After(period, label, Loop);
        }
        world.Scheduler.After(world.Scheduler.Between(Duration.Zero, period), label, Loop);
    }
}
