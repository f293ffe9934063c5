using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;

namespace Prepay.Cli.Bench;

/// <summary>
/// Meters' MQTT connections as a fleet would hold them: each logs in with its number and derived password, keeps a
/// persistent session with a last will, subscribes to its commands, says it is online (retained status), sends a
/// status heartbeat every <see cref="PeerPlan.HeartbeatMs"/>, and acknowledges every command it receives. Firmware
/// is left out (no <c>PrepaidMeter</c>): what is measured is the connections, not the meters' arithmetic.
/// </summary>
internal sealed class MqttMetersPeer(PeerPlan plan, TextWriter output)
{
    private readonly IMqttClient?[] _clients = new IMqttClient?[plan.Count];
    private readonly MqttClientFactory _factory = new();
    private readonly Stopwatch _clock = new();
    private int _connected;
    private int _failed;
    private long _heartbeats;
    private long _heartbeatFailures;
    private readonly HashSet<Guid> _commandIds = [];
    private readonly List<long> _heartbeatAckTicks = new(capacity: 1024);
    private long _commandArrivals;
    private long _lastCommandAt;
    private long _bareReceived;
    private long _lastBareAt;
    private long _acks;
    private long _disconnections;
    private volatile bool _stopping;
    private volatile string? _lastError;

    public async Task RunAsync(CancellationToken stop)
    {
        var credentials = new MeterCredentials(plan.Secret ?? throw new InvalidOperationException("the MQTT peer needs the secret"));
        _clock.Start();
        var connecting = Parallel.ForEachAsync(Enumerable.Range(0, plan.Count),
            new ParallelOptions { MaxDegreeOfParallelism = plan.Parallel, CancellationToken = stop },
            async (i, ct) => await ConnectAsync(i, credentials, ct));
        await ConnectionsPeer.ReportProgressAsync(connecting, () => PeerProtocol.Line(PeerProtocol.Progress, Progress()), output);
        try
        {
            await connecting;
        }
        catch (OperationCanceledException)
        {
        }
        await output.WriteLineAsync(PeerProtocol.Line(PeerProtocol.Ready, Progress()));

        var heartbeats = HeartbeatsAsync(stop);
        await ConnectionsPeer.ReportProgressAsync(heartbeats, () => PeerProtocol.Line(PeerProtocol.Status, Status()), output);
        await heartbeats;
        var final = Status();
        _stopping = true;
        await Parallel.ForEachAsync(_clients, new ParallelOptions { MaxDegreeOfParallelism = plan.Parallel }, async (c, _) => await CloseAsync(c));
        await output.WriteLineAsync(PeerProtocol.Line(PeerProtocol.Done, final));
    }

    private PeerProgress Progress() => new(Volatile.Read(ref _connected), Volatile.Read(ref _failed), ConnectionsPeer.Seconds(_clock), _lastError);

    private PeerStatus Status()
    {
        int commands;
        lock (_commandIds)
        {
            commands = _commandIds.Count;
        }
        long[] ackTicks;
        lock (_heartbeatAckTicks)
        {
            ackTicks = [.. _heartbeatAckTicks];
        }
        var acks = Percentiles.FromTicks(ackTicks);
        return new PeerStatus(_clients.Count(c => c is { IsConnected: true }), Interlocked.Read(ref _heartbeats), Interlocked.Read(ref _heartbeatFailures),
            commands, Interlocked.Read(ref _acks), Interlocked.Read(ref _disconnections), _lastError)
        {
            CommandArrivals = Interlocked.Read(ref _commandArrivals),
            LastCommandAt = Interlocked.Read(ref _lastCommandAt),
            BareReceived = Interlocked.Read(ref _bareReceived),
            LastBareAt = Interlocked.Read(ref _lastBareAt),
            HeartbeatAckMs = [acks.P50Ms, acks.P99Ms, acks.MaxMs],
        };
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private string Meter(int i) => (plan.FirstMeter + i).ToString(CultureInfo.InvariantCulture);

    private DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(plan.StartUnixMs + _clock.ElapsedMilliseconds);

    private async Task ConnectAsync(int i, MeterCredentials credentials, CancellationToken ct)
    {
        var meter = Meter(i);
        var client = _factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var arrived = Stopwatch.GetTimestamp();
            var payload = e.ApplicationMessage.Payload.ToArray();
            if (payload.AsSpan().StartsWith(BareReference.Payload))
            {
                // The bench's reference: a bare message through the same broker, counted apart and not acknowledged.
                Interlocked.Increment(ref _bareReceived);
                InterlockedMax(ref _lastBareAt, arrived);
                return Task.CompletedTask;
            }
            Interlocked.Increment(ref _commandArrivals);
            // Acknowledged off the client's receive path: a QoS 1 publish waits for its PUBACK, which that path reads.
            _ = Task.Run(() => AcknowledgeAsync(client, meter, payload, arrived), CancellationToken.None);
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            if (!_stopping && e.ClientWasConnected)
            {
                Interlocked.Increment(ref _disconnections);
                _lastError = $"meter {meter} disconnected: {e.Reason} {e.Exception?.Message}";
            }
            return Task.CompletedTask;
        };
        var offline = JsonSerializer.SerializeToUtf8Bytes(new StatusMessage(false, null, null, null, null), ProtocolJson.Options);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", plan.Port)
            .WithClientId(meter)
            .WithCredentials(meter, credentials.PasswordFor(meter))
            .WithCleanSession(false)
            .WithSessionExpiryInterval(3600)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithWillTopic(Topics.For(meter, Topics.Status))
            .WithWillPayload(offline)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            await client.ConnectAsync(options, ct);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(Topics.For(meter, Topics.Commands)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build(), ct);
            await PublishStatusAsync(client, meter, 0, ct);
            _clients[i] = client;
            Interlocked.Increment(ref _connected);
        }
        catch (Exception e)
        {
            client.Dispose();
            if (e is OperationCanceledException && ct.IsCancellationRequested)
            {
                throw;
            }
            Interlocked.Increment(ref _failed);
            _lastError = $"meter {meter}: {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Every connected meter once per heartbeat interval, spread evenly over it; a bounded number in flight.</summary>
    private async Task HeartbeatsAsync(CancellationToken stop)
    {
        using var inFlight = new SemaphoreSlim(plan.Parallel);
        var clock = Stopwatch.StartNew();
        long next = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(50, stop);
                var due = (long)(clock.Elapsed.TotalMilliseconds / plan.HeartbeatMs * plan.Count);
                for (; next < due && !stop.IsCancellationRequested; next++)
                {
                    var i = (int)(next % plan.Count);
                    if (_clients[i] is not { IsConnected: true } client)
                    {
                        continue;
                    }
                    await inFlight.WaitAsync(stop);
                    var beat = next / plan.Count + 1;
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            var sent = Stopwatch.GetTimestamp();
                            // Not cancelled at stop: MQTTnet reports a cancelled publish as timed out, which it was not.
                            await PublishStatusAsync(client, Meter(i), beat, CancellationToken.None);
                            var took = Stopwatch.GetTimestamp() - sent;
                            lock (_heartbeatAckTicks)
                            {
                                _heartbeatAckTicks.Add(took);
                            }
                            Interlocked.Increment(ref _heartbeats);
                        }
                        catch (Exception e)
                        {
                            Interlocked.Increment(ref _heartbeatFailures);
                            _lastError = $"heartbeat of meter {Meter(i)}: {e.Message}";
                        }
                        finally
                        {
                            inFlight.Release();
                        }
                    }, CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        // Let the publishes in flight finish before counting.
        for (var i = 0; i < plan.Parallel; i++)
        {
            await inFlight.WaitAsync(CancellationToken.None);
        }
    }

    private Task PublishStatusAsync(IMqttClient client, string meter, long beat, CancellationToken ct)
    {
        var status = new StatusMessage(true, "connected", 50_000_000 - beat * 10, 1_000_000 + beat * 10, Now);
        return client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(meter, Topics.Status))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(status, ProtocolJson.Options))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build(), ct);
    }

    private async Task AcknowledgeAsync(IMqttClient client, string meter, byte[] payload, long arrived)
    {
        try
        {
            var command = JsonSerializer.Deserialize<CommandMessage>(payload, ProtocolJson.Options)!;
            lock (_commandIds)
            {
                if (_commandIds.Add(command.CommandId))
                {
                    _lastCommandAt = arrived;
                }
            }
            await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(Topics.For(meter, Topics.Acks))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(new AckMessage(command.CommandId, "applied", null, Now), ProtocolJson.Options))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            Interlocked.Increment(ref _acks);
        }
        catch (Exception e)
        {
            _lastError = $"acknowledging a command to meter {meter}: {e.Message}";
        }
    }

    private static async Task CloseAsync(IMqttClient? client)
    {
        if (client is null)
        {
            return;
        }
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Closing anyway below.
        }
        client.Dispose();
    }
}
