using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Policy.Decisions;
using Prepay.Policy.Documents;
using Prepay.Policy.Presets;

namespace Prepay.Simulation;

/// <summary>
/// Everything one run holds: its scheduler, database, broker, mail server, nodes, meters and buyers, the faults in
/// force and the invariants that watch them. The households are in Uttar Pradesh under the IN-UPPCL preset (no cut
/// from 18:00 to 08:00, on Sundays or public holidays, never a medical household), read by the real evaluator.
/// </summary>
internal sealed class World
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
    public static readonly Guid Vendor = new("5e1d0000-0000-4000-8000-000000000001");
    private static readonly PolicyDocument Policy = PolicyPresets.Load("IN-UPPCL");
    private long _incarnations;
    private long _vendIds;

    public World(SimulationOptions options)
    {
        Options = options;
        Scheduler = new Scheduler(Instant.FromUtc(2026, 3, 1, 0, 0), options.Seed);
        var random = Scheduler.Random;
        // Any minute of a fortnight in March: days and nights, weekdays and Sundays, and Holi (4 March 2026).
        Start = new LocalDateTime(2026, 3, 1, 0, 0).InZoneStrictly(Zone).ToInstant() + Duration.FromMinutes(random.Next(14 * 24 * 60));
        Scheduler = new Scheduler(Start, options.Seed);
        Faults = FaultPlan.Draw(Scheduler.Random);
        MaxSkew = Faults.MaxSkew;
        Db = new Database(this);
        Broker = new Broker(this);
        Invariants = new Invariants(this);
        Nodes = [.. Enumerable.Range(0, options.Nodes).Select(i => new Node(this, i))];
        Meters = [.. Enumerable.Range(0, options.Meters).Select(i => new SimulatedMeter(this, i, Start))];
        Buyers = [.. Enumerable.Range(0, options.Buyers).Select(i => new Buyer(this, i))];
    }

    public SimulationOptions Options { get; }

    public Guards Guards => Options.Guards;

    public Scheduler Scheduler { get; }

    public Instant Start { get; }

    public FaultPlan Faults { get; private set; }

    /// <summary>The most any node's clock is off, for the whole run.</summary>
    public Duration MaxSkew { get; }

    public Database Db { get; }

    public Broker Broker { get; }

    public MailSink Mail { get; } = new();

    public Invariants Invariants { get; }

    public List<Node> Nodes { get; }

    public List<SimulatedMeter> Meters { get; }

    public List<Buyer> Buyers { get; }

    /// <summary>Idempotency keys answered 201, with the vend each answer named.</summary>
    public Dictionary<string, long> Answered { get; } = new(StringComparer.Ordinal);

    /// <summary>Buyers buy, operators act and faults happen.</summary>
    public bool Busy { get; private set; } = true;

    public int Crashes { get; private set; }

    public long NextIncarnation() => ++_incarnations;

    public long NextVendId() => ++_vendIds;

    public Guid Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Scheduler.Random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public Guid Customer(int meter) => new(meter + 1, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    public DisconnectionDecision Decide(SimulatedMeter meter, Instant at) =>
        PolicyEvaluator.Shipped.Decide(Policy, new DisconnectionRequest(at, Zone, DisconnectionReason.OperatorCommand)
        {
            HolidayRegion = "IN-UP",
            Protections = meter.IsMedical ? CustomerProtections.Medical : CustomerProtections.None,
        });

    /// <summary>Runs the busy time, then lets the world settle and checks that nothing was lost.</summary>
    public void Run()
    {
        var zar = Currency.ZAR;
        Db.TryPost(new LedgerTransaction.Builder(Guid(), TransactionKind.FloatDeposit, "opening float")
            .Move(AccountCode.External(zar.Code), AccountCode.VendorFloat(Vendor, zar.Code), new Money(20_000_000, zar)).Build());
        var s = Scheduler;
        foreach (var node in Nodes)
        {
            node.Skew = Duration.FromTicks((long)((s.Random.NextDouble() * 2 - 1) * MaxSkew.BclCompatibleTicks));
            node.Start();
        }
        Meters.ForEach(m => m.Start());
        Buyers.ForEach(b => b.Start());
        var busyUntil = Start + Options.Busy;
        for (var i = 0; i < Faults.Crashes; i++)
        {
            var node = s.Pick(Nodes);
            s.At(Start + s.Between(Duration.Zero, Options.Busy), "crash", () =>
            {
                if (!node.Alive)
                {
                    return;
                }
                node.Crash();
                Crashes++;
                s.After(s.Between(Duration.FromSeconds(2), Duration.FromSeconds(90)), "restart", node.Start);
            });
        }
        for (var i = 0; i < Faults.DatabaseOutages; i++)
        {
            var from = Start + s.Between(Duration.Zero, Options.Busy);
            s.At(from, "database down", Db.GoDown);
            s.At(from + s.Between(Duration.FromSeconds(5), Duration.FromSeconds(90)), "database back", Db.ComeBack);
        }
        for (var at = Start + s.Between(Duration.FromMinutes(5), Duration.FromMinutes(30)); at < busyUntil; at += s.Between(Duration.FromMinutes(5), Duration.FromMinutes(30)))
        {
            var meter = s.Random.Next(Meters.Count);
            var kind = s.Chance(0.7) ? CommandKind.Disconnect : CommandKind.Connect;
            var node = s.Pick(Nodes);
            s.At(at, "operator", () =>
            {
                if (node.Alive)
                {
                    node.Operator(meter, kind);
                }
            });
        }
        foreach (var meter in Meters.Where(_ => s.Chance(0.5)))
        {
            var from = Start + s.Between(Duration.Zero, Options.Busy);
            s.At(from, "over-voltage", () => meter.SupplyVoltage(2_600));
            s.At(from + s.Between(Duration.FromMinutes(1), Duration.FromMinutes(30)), "voltage back", () => meter.SupplyVoltage(null));
        }
        foreach (var meter in Meters.Where(_ => s.Chance(0.5)))
        {
            var from = Start + s.Between(Duration.Zero, Options.Busy);
            s.At(from, "outage", meter.CutPower);
            s.At(from + s.Between(Duration.FromMinutes(1), Duration.FromMinutes(20)), "power back", meter.RestorePower);
        }
        s.At(busyUntil, "calm", () =>
        {
            Busy = false;
            Faults = FaultPlan.Calm;
        });
        var end = busyUntil + Options.Settle;
        while (s.RunNext(end))
        {
            Invariants.AfterStep();
            if (!Busy && s.Step % 64 == 0 && IsSettled())
            {
                break;
            }
        }
        Invariants.Settled();
    }

    private bool IsSettled() =>
        Nodes.All(n => n.Alive)
        && Buyers.All(b => !b.Waiting)
        && Broker.Unacknowledged == 0
        && Db.Commands.All(c => c.TrueForAll(r => r.State != CommandState.Queued))
        && Db.Alerts.TrueForAll(a => a.Sent);
}
