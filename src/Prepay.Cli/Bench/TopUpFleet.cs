using System.Diagnostics;
using NodaTime;
using Prepay.Meter;
using Prepay.Meter.Load;
using Prepay.Meter.Registers;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Tokens;

namespace Prepay.Cli.Bench;

/// <summary>
/// The top-up benchmark's fleet: smart virtual meters (<see cref="PrepaidMeter"/> on MQTT through
/// <see cref="MqttMeterAgent"/>, as <c>prepay simulate</c> runs them) replaying the last two days at
/// <see cref="TopUpSettings.FleetSpeed"/>× real time, so that each publishes readings, events and status as it would
/// over hours. Their time never passes the server's clock, which refuses readings from the future. The first
/// <c>targets</c> meters start with a little credit and a heavy load, to run down to zero and open their relays.
/// </summary>
internal sealed class TopUpFleet : IAsyncDisposable
{
    private const long TargetCreditWh = 150;
    private const long OtherCreditWh = 5_000_000;
    private static readonly LoadShape[] Shapes = [LoadShape.Residential, LoadShape.Dormitory];

    private readonly List<MqttMeterAgent> _agents;
    private readonly IClock _serverClock;
    private readonly Instant _start;
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public TopUpFleet(IReadOnlyList<string> numbers, int targets, Func<string, AgentEndpoint> endpoint, Func<string, byte[]> commandKey, IClock serverClock)
    {
        _serverClock = serverClock;
        _start = serverClock.GetCurrentInstant() - Duration.FromDays(2);
        _agents = numbers.Select((number, i) =>
        {
            var target = i < targets;
            var meter = new PrepaidMeter(new MeterConfiguration
            {
                MeterId = number, Seed = 7919L * (i + 1), Start = _start, Sts = DecoderKeys.None,
                Shape = target ? LoadShape.Residential : Shapes[i % Shapes.Length],
                LoadScalePercent = target ? 300 : 100,
                InitialCreditWh = target ? TargetCreditWh : OtherCreditWh, CommandKey = commandKey(number),
            });
            return new MqttMeterAgent(meter, endpoint(number)) { ReadingsPerMessage = 4 };
        }).ToList();
        Targets = _agents.Take(targets).ToList();
    }

    public IReadOnlyList<MqttMeterAgent> Agents => _agents;

    public IReadOnlyList<MqttMeterAgent> Targets { get; }

    /// <summary>Readings the fleet has had acknowledged by the broker so far.</summary>
    public long ReadingsSent => _agents.Sum(a => a.ReadingsSent);

    /// <summary>The fleet's simulated now.</summary>
    public Instant Now { get; private set; }

    public async Task ConnectAsync(TextWriter log, string tag, CancellationToken ct)
    {
        var connected = 0;
        var clock = Stopwatch.StartNew();
        var connecting = Parallel.ForEachAsync(_agents, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (a, c) =>
        {
            await a.ConnectAsync(c);
            Interlocked.Increment(ref connected);
        });
        while (await Task.WhenAny(connecting, Task.Delay(3000, ct)) != connecting)
        {
            log.WriteLine($"[{tag}] {clock.Elapsed.TotalSeconds,4:0} s: {Volatile.Read(ref connected):N0} of {_agents.Count:N0} meters connected");
        }
        await connecting;
    }

    /// <summary>Starts moving the meters' clocks in the background, every 100 ms, until disposed.</summary>
    public void Start()
    {
        Now = _start;
        var real = Stopwatch.StartNew();
        _running = Task.Run(async () =>
        {
            var ct = _stop.Token;
            var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
            var last = real.Elapsed;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    // Each step covers the real time since the last one: when the machine cannot keep up the fleet
                    // runs slower, never in bursts that would make its load uneven.
                    var now = real.Elapsed;
                    var step = Duration.FromSeconds(Math.Min((now - last).TotalSeconds * TopUpSettings.FleetSpeed, 15 * 60));
                    last = now;
                    var next = Min(Now + step, _serverClock.GetCurrentInstant());
                    if (next > Now)
                    {
                        Now = next;
                        await Parallel.ForEachAsync(_agents, options, async (a, c) => await a.AdvanceAsync(next, c));
                    }
                    await Task.Delay(100, ct);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    /// <summary>Waits until every target's relay is open (or the limit passes); returns the targets that got there.</summary>
    public async Task<IReadOnlyList<MqttMeterAgent>> RunDownAsync(TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var open = new List<MqttMeterAgent>();
        while (true)
        {
            open.Clear();
            foreach (var t in Targets)
            {
                if (await t.ReadAsync(m => m.Relay == RelayState.Disconnected && m.CreditWh <= 0, ct))
                {
                    open.Add(t);
                }
            }
            if (open.Count == Targets.Count || clock.Elapsed > limit)
            {
                return open;
            }
            await Task.Delay(250, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }
        await Parallel.ForEachAsync(_agents, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (a, _) => await a.DisposeAsync());
        _stop.Dispose();
    }

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}
