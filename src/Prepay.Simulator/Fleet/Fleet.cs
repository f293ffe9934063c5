using System.Diagnostics;
using NodaTime;
using Prepay.Meter;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using Prepay.Simulator.Agents;

namespace Prepay.Simulator.Fleet;

/// <summary>
/// Many meter agents in one process on one <see cref="SimulationClock"/>, run <see cref="FleetOptions.Speed"/>
/// times faster than real time, with customers who buy through the server's vend API: token meters get their
/// token typed on the keypad, smart meters their credit by the head-end's command. Everything random is seeded.
/// <see cref="FleetOptions.DlmsShare"/> of the meters run as DLMS servers on loopback ports instead of on MQTT
/// (<see cref="DlmsMeterAgent"/>), registered with the server through <paramref name="staff"/> (an operator's or
/// admin's key) for the run and put back on MQTT after it; a smart one gets its credit as tokens through its token
/// gateway, so its customer types nothing.
/// </summary>
public sealed class Fleet(FleetOptions options, SimulationClock clock, PrepayApi vendor, PrepayApi? staff = null)
{
    private sealed class Member(FleetMeter meter, IFleetAgent agent, Customer customer)
    {
        public FleetMeter Meter => meter;
        public IFleetAgent Agent => agent;
        public bool IsDlms => agent is DlmsMeterAgent;
        public Customer Customer => customer;
        public long SoldWh;
        public long Vends;
        public long CreditVends; // vends that sold energy: each owes the meter one addCredit (smart meters)
        public Instant? LastVendAt;
        public Instant? BackOnlineAt;
    }

    private long _vends;
    private long _vendFailures;
    private long _tokensRejected;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Raised about once a real second.</summary>
    public event Action<FleetProgress>? Progress;

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The MQTT agents, once <see cref="RunAsync"/> has built them (tests and the demo read them).</summary>
    public IReadOnlyList<MqttMeterAgent> Agents { get; private set; } = [];

    /// <summary>The DLMS meters, once <see cref="RunAsync"/> has built them.</summary>
    public IReadOnlyList<DlmsMeterAgent> DlmsAgents { get; private set; } = [];

    /// <summary>Completes once every meter is connected and every DLMS meter registered with the server, before the first step.</summary>
    public Task Started => _started.Task;

    /// <summary>
    /// The meters to run on DLMS: <paramref name="share"/> of the fleet rounded to whole meters, the first in the
    /// order given whose decoder reads the server's tokens (over DLMS a meter's credit arrives as tokens).
    /// </summary>
    public static IReadOnlySet<string> DlmsMeters(IReadOnlyList<FleetMeter> meters, double share)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var count = (int)Math.Round(share * meters.Count, MidpointRounding.AwayFromZero);
        return meters.Where(m => m.TakesTokens).Take(count).Select(m => m.MeterNumber).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<FleetSummary> RunAsync(IReadOnlyList<FleetMeter> meters, CancellationToken ct)
    {
        if (options.Validate() is { } error)
        {
            throw new InvalidOperationException("Fleet options: " + error);
        }
        if (options.DlmsShare > 0 && staff is null)
        {
            throw new InvalidOperationException("Fleet: DLMS meters are registered with the server through a staff (operator or admin) key.");
        }
        var dlms = DlmsMeters(meters, options.DlmsShare);
        var start = clock.GetCurrentInstant();
        var members = meters.Select((m, i) =>
        {
            var seed = unchecked(options.Seed * 7919 + i);
            var random = new Random(seed);
            var meter = new PrepaidMeter(new MeterConfiguration
            {
                MeterId = m.MeterNumber, Seed = seed, Start = start, Sts = m.Sts, Shape = m.Shape, CommandKey = m.CommandKey,
                InitialCreditWh = random.Next(0, 150) * 100L,
            });
            IFleetAgent agent = dlms.Contains(m.MeterNumber) ? new DlmsMeterAgent(meter, options.DlmsKeys!) : new MqttMeterAgent(meter, m.Endpoint);
            return new Member(m, agent, new Customer(seed, m.Shape));
        }).ToList();
        Agents = [.. members.Select(m => m.Agent).OfType<MqttMeterAgent>()];
        DlmsAgents = [.. members.Select(m => m.Agent).OfType<DlmsMeterAgent>()];
        var enrolled = new List<string>();
        var real = Stopwatch.StartNew();
        try
        {
            await ForEachAsync(members, (m, c) => new ValueTask(m.Agent.ConnectAsync(c)), ct);
            foreach (var agent in DlmsAgents)
            {
                // One at a time, in order: a few hundred small PUTs, once per run.
                await DlmsEnrolment.EnrolAsync(staff!, agent, ct);
                enrolled.Add(agent.MeterNumber);
            }
            _started.TrySetResult();
            var end = options.Days is { } days ? start + Duration.FromSeconds(days * 86_400) : Instant.MaxValue;
            var lastProgress = TimeSpan.Zero;
            var lastStep = -options.Tick;
            var now = start;
            while (now < end && !ct.IsCancellationRequested)
            {
                var scheduled = start + Duration.FromSeconds(real.Elapsed.TotalSeconds * options.Speed);
                var next = Min(Min(scheduled, now + options.MaxStep), end);
                if (NextStepIn(options, now, next, end, real.Elapsed - lastStep) is { } wait)
                {
                    await Task.Delay(wait, ct);
                    continue;
                }
                lastStep = real.Elapsed;
                var step = next - now;
                now = next;
                clock.AdvanceTo(now);
                await ForEachAsync(members, (m, c) => StepAsync(m, now, step, c), ct);
                if (real.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = real.Elapsed;
                    Progress?.Invoke(Sample(members, now, start));
                }
            }
            await DrainAsync(members, ct);
            Progress?.Invoke(Sample(members, clock.GetCurrentInstant(), start));
            return Summarise(members, (now - start).TotalDays, real.Elapsed.TotalSeconds);
        }
        finally
        {
            _started.TrySetException(new InvalidOperationException("The fleet stopped before it started."));
            await ReleaseAsync(enrolled);
            foreach (var m in members)
            {
                await m.Agent.DisposeAsync();
            }
        }
    }

    // Best effort, whatever ended the run: a meter left on dlms would wait for a server that is gone.
    private async Task ReleaseAsync(List<string> enrolled)
    {
        foreach (var meter in enrolled)
        {
            try
            {
                await DlmsEnrolment.ReleaseAsync(staff!, meter, CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                return; // the server is gone: nothing left to tell
            }
        }
    }

    private async ValueTask StepAsync(Member m, Instant now, Duration step, CancellationToken ct)
    {
        await m.Agent.AdvanceAsync(now, ct);
        if (m.BackOnlineAt is { } back && now >= back)
        {
            m.BackOnlineAt = null;
            await m.Agent.ConnectAsync(ct);
        }
        else if (m.BackOnlineAt is null && !m.IsDlms && m.Customer.LinkDrops(step, options.LinkDropsPerMeterDay))
        {
            m.BackOnlineAt = now + m.Customer.OutageLength();
            await m.Agent.DropLinkAsync(ct);
        }
        var credit = await m.Agent.ReadAsync(meter => meter.CreditWh, ct);
        // A smart meter's customer waits (up to a day) for credit already paid for before paying again.
        var awaiting = m.Meter.IsSmart && m.Agent.AddCreditsApplied < m.CreditVends && now - m.LastVendAt < Duration.FromDays(1);
        if (!m.Customer.WantsToBuy(now, credit, awaiting))
        {
            return;
        }
        var outcome = await vendor.VendAsync(m.Meter.MeterNumber, m.Customer.NextAmount(), options.Currency, $"sim-{_run}-{m.Meter.MeterNumber}-{m.Vends + 1}", ct);
        if (!outcome.Ok)
        {
            Interlocked.Increment(ref _vendFailures);
            return;
        }
        Interlocked.Increment(ref _vends);
        m.Vends++;
        if (outcome.EnergyWh > 0)
        {
            m.CreditVends++;
        }
        m.SoldWh += outcome.EnergyWh;
        m.LastVendAt = now;
        if (m.IsDlms && m.Meter.IsSmart)
        {
            return; // the head-end enters its tokens through the meter's token gateway
        }
        foreach (var token in outcome.Tokens)
        {
            var typed = await m.Agent.TypeTokenAsync(token, ct);
            if (typed.OfType<TokenRejected>().Any())
            {
                Interlocked.Increment(ref _tokensRejected);
            }
        }
    }

    // At the end: everyone back online, readings flushed, and commands on their way given time to land. The clock
    // moves a little (the meters do not) so that the head-end's retries fall due.
    private async Task DrainAsync(List<Member> members, CancellationToken ct)
    {
        foreach (var m in members.Where(m => m.BackOnlineAt is not null || !m.Agent.IsOnline))
        {
            m.BackOnlineAt = null;
            try
            {
                await m.Agent.ConnectAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
            }
        }
        await ForEachAsync(members, (m, c) => new ValueTask(m.Agent.FlushAsync(c)), ct);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < options.DrainTimeout && members.Any(m => m.Meter.IsSmart && m.Agent.AddCreditsApplied < m.CreditVends))
        {
            clock.AdvanceTo(clock.GetCurrentInstant() + Duration.FromMinutes(1));
            await Task.Delay(250, ct);
        }
        await ForEachAsync(members, (m, c) => new ValueTask(m.Agent.FlushAsync(c)), ct);
    }

    private FleetSummary Summarise(List<Member> members, double days, double seconds) => new(
        Meters: members.Count,
        Readings: members.Sum(m => m.Agent.ReadingsSent),
        Events: members.Sum(m => m.Agent.EventsSent),
        Vends: Interlocked.Read(ref _vends),
        VendFailures: Interlocked.Read(ref _vendFailures),
        TokensTyped: members.Sum(m => m.Agent.TokensTyped),
        TokensRejected: Interlocked.Read(ref _tokensRejected),
        Disconnections: members.Sum(m => m.Agent.RelayOpenings),
        Reconnections: members.Sum(m => m.Agent.RelayClosings),
        AlertsSent: null,
        CommandsLost: members.Where(m => m.Meter.IsSmart).Sum(m => Math.Max(0, m.CreditVends - m.Agent.AddCreditsApplied)),
        CreditMismatches: members.Count(m => m.SoldWh != m.Agent.CreditAddedWh),
        LinkDrops: members.Sum(m => m.Agent.LinkDrops),
        SimulatedDays: Math.Round(days, 3),
        RealSeconds: Math.Round(seconds, 1),
        DlmsMeters: members.Count(m => m.IsDlms),
        DlmsSessions: members.Select(m => m.Agent).OfType<DlmsMeterAgent>().Sum(a => (long)a.SessionsServed));

    private FleetProgress Sample(List<Member> members, Instant now, Instant start) => new(
        now, (now - start).TotalDays, members.Sum(m => m.Agent.ReadingsSent), Interlocked.Read(ref _vends), members.Sum(m => m.Agent.TokensTyped),
        members.Sum(m => m.Agent.RelayOpenings), members.Sum(m => m.Agent.RelayClosings), members.Count(m => m.Agent.IsOnline));

    private Task ForEachAsync(List<Member> members, Func<Member, CancellationToken, ValueTask> body, CancellationToken ct) =>
        Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct }, body);

    /// <summary>
    /// How long a fleet waits before stepping from <paramref name="now"/> to <paramref name="next"/>, or null to step now: at
    /// once when a whole <see cref="FleetOptions.MaxStep"/> (or the end) is owed, else once a tick has passed since the
    /// last step, and never to a time not yet reached.
    /// </summary>
    public static TimeSpan? NextStepIn(FleetOptions options, Instant now, Instant next, Instant end, TimeSpan sinceLastStep)
    {
        if (next > now && (next == end || next - now >= options.MaxStep || sinceLastStep >= options.Tick))
        {
            return null;
        }
        var untilTick = options.Tick - sinceLastStep;
        // Real time until a whole MaxStep is owed: at high speeds that comes before the tick.
        var untilMaxStep = TimeSpan.FromSeconds((options.MaxStep - (next - now)).TotalSeconds / options.Speed);
        var wait = untilTick < untilMaxStep ? untilTick : untilMaxStep;
        return wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
    }

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}
