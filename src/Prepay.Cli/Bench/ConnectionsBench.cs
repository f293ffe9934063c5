using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using NodaTime;
using Prepay.Cli.Hosting;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Server;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench connections [--meters N] [--hold 30s] [--heartbeat 60s] [--json]</c>: how many meters' MQTT
/// connections one machine holds. A Prepay server (fresh SQLite database, embedded broker on a free loopback port,
/// real per-meter credentials and ACL) in this process; the meters in a child process, each logging in with its
/// number and password, subscribing to its commands, sending a status heartbeat and acknowledging commands; a
/// command to a sample of them while all are connected. Beside it, the same number of plain TCP connections to a
/// plain listener, each in a process of its own. Exit code 1 when a check fails, 2 for bad options.
/// </summary>
public static class ConnectionsBench
{
    private const long FirstMeter = 91_000_000_000;
    private const string CommandReference = "bench-connections";

    public static Command Create()
    {
        var meters = new Option<int>("--meters") { Description = $"Meters' MQTT connections to hold (default 10000, at most {ConnectionsSettings.MaxMeters})", DefaultValueFactory = _ => 10_000 };
        var hold = new Option<string>("--hold") { Description = "How long to hold them all once connected (default 30s; 1s to 10m)", DefaultValueFactory = _ => "30s" };
        var heartbeat = new Option<string>("--heartbeat") { Description = "Each meter's status heartbeat while held (default 60s: 167 messages/s from 10,000 meters)", DefaultValueFactory = _ => "60s" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table (progress goes to stderr)" };
        var command = new Command("connections", "Meters' MQTT connections held by the embedded broker: connect rate, memory per connection, commands delivered, beside plain TCP.")
        {
            meters, hold, heartbeat, json,
        };
        command.SetAction(async (r, ct) =>
        {
            var holdTime = BenchDuration.Parse(r.GetValue(hold));
            var beat = BenchDuration.Parse(r.GetValue(heartbeat));
            var problem = holdTime is null ? "--hold must be a duration such as 30s or 2m"
                : beat is null ? "--heartbeat must be a duration such as 10s or 1m"
                : null;
            var settings = new ConnectionsSettings { Meters = r.GetValue(meters), Hold = holdTime ?? default, Heartbeat = beat ?? default };
            problem ??= settings.Problem() ?? OpenFileLimit.Ensure(settings.FilesNeeded, $"--meters {settings.Meters}");
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return CommandLine.BadInput;
            }
            var asJson = r.GetValue(json);
            var report = await RunAsync(settings, asJson ? Console.Error : Console.Out, ct);
            if (asJson)
            {
                report.WriteJson(Console.Out);
            }
            else
            {
                report.WriteTable(Console.Out);
            }
            return report.Passed ? 0 : 1;
        });
        return command;
    }

    public static async Task<ConnectionsReport> RunAsync(ConnectionsSettings s, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(log);
        var failures = new List<string>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(s.HardLimit);
        TcpReferenceResult? tcp = null;
        MqttConnectionsResult? mqtt = null;
        try
        {
            tcp = await TcpReferenceAsync(s, log, failures, limit.Token);
            mqtt = await MqttAsync(s, log, failures, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            failures.Add($"stopped at the hard time limit of {s.HardLimit.TotalSeconds:0} s");
        }
        catch (PeerFailedException e)
        {
            failures.Add(e.Message);
        }
        return new ConnectionsReport(s, mqtt, tcp, failures);
    }

    private static async Task<TcpReferenceResult> TcpReferenceAsync(ConnectionsSettings s, TextWriter log, List<string> failures, CancellationToken ct)
    {
        log.WriteLine($"[tcp] reference: a plain listener in a process of its own, {s.Meters:N0} plain TCP connections from another");
        await using var listener = await PeerProcess.StartAsync(new PeerPlan(PeerMode.TcpListen, 0, 0, 0, ConnectionsSettings.Parallel, 0, 0), ct);
        var port = PeerProtocol.Parse<int>((await listener.NextAsync(ct, PeerProtocol.Listening)).Json);
        await Task.Delay(500, ct);
        var before = ProcessMemory.ResidentBytes(listener.Id);
        await using var peer = await PeerProcess.StartAsync(new PeerPlan(PeerMode.TcpConnect, port, s.Meters, 0, ConnectionsSettings.Parallel, 0, 0), ct);
        var (ready, timedOut) = await FollowConnectingAsync("tcp", peer, s, () => ProcessMemory.ResidentBytes(listener.Id), "listener", log, ct);
        if (timedOut)
        {
            failures.Add($"tcp: connecting stopped at the limit of {s.ConnectLimit.TotalSeconds:0} s");
        }
        // The listener's last accepts and greetings settle before its memory is read.
        await Task.Delay(1000, ct);
        var connected = ProcessMemory.ResidentBytes(listener.Id);
        var clientRss = ProcessMemory.ResidentBytes(peer.Id);
        await peer.StopAsync(ct);
        var done = PeerProtocol.Parse<PeerStatus>((await peer.NextAsync(ct, PeerProtocol.Done)).Json);
        await listener.StopAsync(ct);
        await listener.NextAsync(ct, PeerProtocol.Done);
        await peer.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await listener.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var result = new TcpReferenceResult(ready.Connected, ready.Failed, ready.Seconds, done.Up, before, connected, clientRss, ready.LastError ?? done.LastError);
        log.WriteLine($"[tcp] {result.Established:N0} connected in {result.ConnectSeconds:0.00} s ({result.ConnectRate:N0}/s), listener RSS {Mib(before)} → {Mib(connected)}");
        return result;
    }

    private static async Task<MqttConnectionsResult> MqttAsync(ConnectionsSettings s, TextWriter log, List<string> failures, CancellationToken ct)
    {
        var runId = Guid.NewGuid().ToString("N")[..10];
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-bench", runId + "-connections");
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["Storage:ConnectionString"] = null,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            ["Logging:LogLevel:Prepay.Vending.Tokens"] = "Error",
            ["Mqtt:Port"] = "0",
            // Simulated meters live hours in seconds: lift the per-meter limits a real meter would never meet.
            ["Mqtt:Limits:MessagesPerMinute"] = "10000000",
            ["Mqtt:Limits:EventsPerMinute"] = "10000000",
            ["Mqtt:CredentialSecret"] = secret,
        };
        try
        {
            log.WriteLine($"[mqtt] server with a fresh SQLite database and its embedded broker, {s.Meters:N0} meters");
            await using var app = PrepayServer.Build(new ServerSettings { Urls = "http://127.0.0.1:0", DataDirectory = dataDir, Overrides = settings });
            await app.PrepareAsync(ct);
            var meters = await BenchMeters.AddAsync(app.Services, FirstMeter, s.Meters, ct);
            await app.StartAsync(ct);
            try
            {
                return await HoldMetersAsync(app, meters, secret, s, log, failures, ct);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<MqttConnectionsResult> HoldMetersAsync(WebApplication app, IReadOnlyList<(string Number, Guid Id)> meters, string secret,
        ConnectionsSettings s, TextWriter log, List<string> failures, CancellationToken ct)
    {
        var headEnd = app.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var broker = app.Services.GetRequiredService<EmbeddedBroker>();
        var clock = app.Services.GetRequiredService<IClock>();
        // Start-up garbage collected, so that what grows from here is the connections'.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await Task.Delay(500, ct);
        var rssBefore = ProcessMemory.OwnResidentBytes();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);

        log.WriteLine($"[mqtt] {s.Meters:N0} meters connecting from a child process, {ConnectionsSettings.Parallel} at a time, to 127.0.0.1:{broker.Port}");
        var plan = new PeerPlan(PeerMode.MqttMeters, broker.Port, s.Meters, FirstMeter, ConnectionsSettings.Parallel,
            (int)s.Heartbeat.TotalMilliseconds, clock.GetCurrentInstant().ToUnixTimeMilliseconds(), secret);
        await using var peer = await PeerProcess.StartAsync(plan, ct);
        var (ready, timedOut) = await FollowConnectingAsync("mqtt", peer, s, ProcessMemory.OwnResidentBytes, "broker", log, ct);
        if (timedOut)
        {
            failures.Add($"mqtt: connecting stopped at the limit of {s.ConnectLimit.TotalSeconds:0} s");
        }
        await Task.Delay(1000, ct);
        // Live objects only, as before connecting: what the connections keep, not the garbage they made.
        var managedConnected = GC.GetTotalMemory(forceFullCollection: true);
        var rssConnected = ProcessMemory.OwnResidentBytes();
        var clientRss = ProcessMemory.ResidentBytes(peer.Id);

        var sample = ConnectionsMath.Sample(meters.Count, s.CommandSample).Select(i => meters[i]).ToList();
        var commandsAt = 0L;
        if (!timedOut)
        {
            await QueueCommandsAsync(app.Services, sample, clock, ct);
            commandsAt = Stopwatch.GetTimestamp();
            log.WriteLine($"[mqtt] all connected; a readNow command queued for {sample.Count} of them; holding for {BenchDuration.Format(s.Hold)}");
        }
        var hold = Stopwatch.StartNew();
        var status = new PeerStatus(ready.Connected, 0, 0, 0, 0, 0, null);
        var lastLine = TimeSpan.Zero;
        while (!timedOut && hold.Elapsed < s.Hold)
        {
            status = PeerProtocol.Parse<PeerStatus>((await peer.NextAsync(ct, PeerProtocol.Status)).Json);
            if (hold.Elapsed - lastLine >= TimeSpan.FromSeconds(5))
            {
                lastLine = hold.Elapsed;
                log.WriteLine($"[mqtt] held {hold.Elapsed.TotalSeconds,3:0} s of {s.Hold.TotalSeconds:0}: {status.Up:N0} up, {status.HeartbeatsSent:N0} heartbeats " +
                    $"({status.HeartbeatsFailed} failed, PUBACK p99 {status.HeartbeatAckMs?[1] ?? 0:0} ms), commands delivered {status.CommandsReceived}/{sample.Count}, broker RSS {Mib(ProcessMemory.OwnResidentBytes())}");
            }
        }
        var holdSeconds = hold.Elapsed.TotalSeconds;
        // Counted at the end of the hold, before the bare reference's own client comes and goes: the broker may still
        // list that one for a moment after it has disconnected.
        var brokerUp = await broker.ConnectedClientCountAsync() - 1; // less the head-end's own client
        var (bareDelivered, bareSeconds) = timedOut ? (0L, null) : await BareReferenceAsync(app.Services, broker.Port, sample, peer, log, ct);
        var rssEnd = ProcessMemory.OwnResidentBytes();
        var (acknowledged, fresh) = await ReadBackAsync(app.Services, clock, s, ct);

        log.WriteLine("[mqtt] closing every connection");
        await peer.StopAsync(ct);
        var done = PeerProtocol.Parse<PeerStatus>((await peer.NextAsync(ct, PeerProtocol.Done)).Json);
        if (await peer.WaitForExitAsync(TimeSpan.FromSeconds(60)) is not 0)
        {
            failures.Add("mqtt: the meters' process did not end cleanly" + (peer.ErrorTail is { Length: > 0 } e ? ": " + e : ""));
        }
        // Both timestamps are Stopwatch ticks of the same machine's monotonic clock (see PeerStatus).
        double? delivered = done.CommandsReceived >= sample.Count && sample.Count > 0 && done.LastCommandAt > commandsAt
            ? Stopwatch.GetElapsedTime(commandsAt, done.LastCommandAt).TotalSeconds
            : null;
        return new MqttConnectionsResult(ready.Connected, ready.Failed, ready.Seconds, done.Up, brokerUp, done.Disconnections,
            rssBefore, rssConnected, rssEnd, managedBefore, managedConnected, clientRss,
            done.HeartbeatsSent, done.HeartbeatsFailed, holdSeconds,
            timedOut ? 0 : sample.Count, done.CommandsReceived, done.AcksSent, acknowledged, delivered, fresh, ready.LastError ?? done.LastError)
        {
            CommandArrivals = done.CommandArrivals,
            BareDelivered = bareDelivered,
            BareSeconds = bareSeconds,
            HeartbeatAckMs = done.HeartbeatAckMs ?? [],
        };
    }

    /// <summary>
    /// Relays the peer's progress as lines every few seconds until it says it is ready; when the connect limit passes
    /// first, tells it to stop (it then reports what it has) and says so.
    /// </summary>
    private static async Task<(PeerProgress Ready, bool TimedOut)> FollowConnectingAsync(string tag, PeerProcess peer, ConnectionsSettings s,
        Func<long?> serverRss, string serverName, TextWriter log, CancellationToken ct)
    {
        var timedOut = false;
        using var limit = new CancellationTokenSource(s.ConnectLimit);
        await using var stopAtLimit = limit.Token.Register(() =>
        {
            timedOut = true;
            _ = peer.StopAsync(CancellationToken.None);
        });
        var last = new PeerProgress(0, 0, 0, null);
        var lastLine = -10.0;
        while (true)
        {
            var (kind, json) = await peer.NextAsync(ct, PeerProtocol.Progress, PeerProtocol.Ready);
            var p = PeerProtocol.Parse<PeerProgress>(json);
            if (kind == PeerProtocol.Ready)
            {
                return (p, timedOut);
            }
            if (p.Seconds - lastLine >= 3)
            {
                var rate = (p.Connected - last.Connected) / Math.Max(0.001, p.Seconds - last.Seconds);
                log.WriteLine($"[{tag}] {p.Seconds,5:0.0} s: {p.Connected,7:N0} of {s.Meters:N0} connected ({rate:N0}/s now), {p.Failed} failed, {serverName} RSS {Mib(serverRss())}");
                (last, lastLine) = (p, p.Seconds);
            }
        }
    }

    private static async Task QueueCommandsAsync(IServiceProvider services, IReadOnlyList<(string Number, Guid Id)> sample, IClock clock, CancellationToken ct)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var now = clock.GetCurrentInstant();
            foreach (var (number, id) in sample)
            {
                CommandQueue.Enqueue(db, id, number, new Prepay.MeterLink.Commands.ReadNow(), now, CommandReference, Duration.FromMinutes(30));
            }
            await db.SaveChangesAsync(ct);
        }
        services.GetRequiredService<CommandDispatcher>().Wake();
    }

    /// <summary>
    /// The reference for commands: one bare QoS 1 message to each sampled meter's command topic, published at once
    /// by a client of the service user through the same broker, timed from publishing to the last arrival at the
    /// meters, with all the meters still connected and heartbeating as during the commands.
    /// </summary>
    private static async Task<(long Delivered, double? Seconds)> BareReferenceAsync(IServiceProvider services, int port,
        IReadOnlyList<(string Number, Guid Id)> sample, PeerProcess peer, TextWriter log, CancellationToken ct)
    {
        var options = services.GetRequiredService<MqttOptions>();
        var credentials = services.GetRequiredService<MeterCredentials>();
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-bare-reference")
            .WithCredentials(options.ServiceUser, credentials.ServicePassword).WithCleanSession().Build(), ct);
        var payload = BareReference.Payload.ToArray();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(sample.Select(m => client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(m.Number, Topics.Commands))
            .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct)));
        var waited = Stopwatch.StartNew();
        PeerStatus status;
        do
        {
            status = PeerProtocol.Parse<PeerStatus>((await peer.NextAsync(ct, PeerProtocol.Status)).Json);
        }
        while (status.BareReceived < sample.Count && waited.Elapsed < TimeSpan.FromSeconds(30));
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), ct);
        log.WriteLine($"[mqtt] reference: {status.BareReceived} of {sample.Count} bare messages delivered");
        return (status.BareReceived, status.BareReceived >= sample.Count && status.LastBareAt > start
            ? Stopwatch.GetElapsedTime(start, status.LastBareAt).TotalSeconds : null);
    }

    /// <summary>Commands the head-end recorded as acknowledged, and meters whose status it stored within the last two heartbeats.</summary>
    private static async Task<(int Acknowledged, int Fresh)> ReadBackAsync(IServiceProvider services, IClock clock, ConnectionsSettings s, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var acknowledged = await db.MeterCommands.CountAsync(c => c.Reference == CommandReference && c.State == CommandState.Acknowledged, ct);
        var since = clock.GetCurrentInstant() - Duration.FromTimeSpan(s.Heartbeat * 2);
        var fresh = await db.MeterStatus.CountAsync(m => m.Online && m.LastSeenAt >= since, ct);
        return (acknowledged, fresh);
    }

    internal static string Mib(long? bytes) => bytes is { } b ? $"{b / (1024.0 * 1024):N0} MiB" : "n/a";
}
