using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using NodaTime;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;

namespace Prepay.Cli.Bench;

/// <summary>
/// The top-up benchmark's reference: a bare MQTT publish, QoS 1, from a client logged in as the head-end's service
/// user to a meter's command topic, timed until that meter's client (a plain MQTT client logged in as the meter,
/// subscribed as meters are) receives it, through the same broker while the same fleet runs. A readNow command
/// nobody applies: the payload has a command's shape and size, and its id pairs sending with receiving.
/// </summary>
internal sealed class PublishReference : IAsyncDisposable
{
    private readonly IMqttClient _publisher;
    private readonly List<(string Meter, IMqttClient Client)> _meters;
    private readonly ConcurrentDictionary<Guid, long[]> _pending = new();
    private int _next;

    private PublishReference(IMqttClient publisher, List<(string, IMqttClient)> meters)
    {
        _publisher = publisher;
        _meters = meters;
    }

    public static async Task<PublishReference> ConnectAsync(int port, string serviceUser, MeterCredentials credentials, IReadOnlyList<string> meters, string runId, CancellationToken ct)
    {
        var factory = new MqttClientFactory();
        var publisher = factory.CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
            .WithClientId($"bench-reference-{runId}").WithCredentials(serviceUser, credentials.ServicePassword).Build(), ct);
        var clients = new List<(string, IMqttClient)>();
        var reference = new PublishReference(publisher, clients);
        foreach (var meter in meters)
        {
            var client = factory.CreateMqttClient();
            client.ApplicationMessageReceivedAsync += e =>
            {
                var now = Stopwatch.GetTimestamp();
                var command = JsonSerializer.Deserialize<CommandMessage>(e.ApplicationMessage.Payload.ToArray(), ProtocolJson.Options);
                if (command is not null && reference._pending.TryGetValue(command.CommandId, out var times))
                {
                    Interlocked.CompareExchange(ref times[1], now, 0);
                }
                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
                .WithClientId(meter).WithCredentials(meter, credentials.PasswordFor(meter)).WithCleanSession(false).WithSessionExpiryInterval(3600).Build(), ct);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(Topics.For(meter, Topics.Commands)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build(), ct);
            clients.Add((meter, client));
        }
        return reference;
    }

    /// <summary>Publishes already sent that never arrived.</summary>
    public int Lost => _pending.Values.Count(t => Volatile.Read(ref t[1]) == 0);

    public async Task PublishAsync(IClock clock, CancellationToken ct)
    {
        var (meter, _) = _meters[Interlocked.Increment(ref _next) % _meters.Count];
        var at = clock.GetCurrentInstant().ToDateTimeOffset();
        var command = new CommandMessage(Guid.CreateVersion7(at), CommandTypes.ReadNow, null, at, at.AddHours(1));
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(meter, Topics.Commands))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJson.Options))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var times = new long[2];
        _pending[command.CommandId] = times;
        times[0] = Stopwatch.GetTimestamp();
        await _publisher.PublishAsync(message, ct);
    }

    public async Task WaitAllAsync(TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (Lost > 0 && clock.Elapsed < limit)
        {
            await Task.Delay(10, ct);
        }
    }

    public void Clear() => _pending.Clear();

    public Percentiles RoundTrips() => Percentiles.FromTicks([.. _pending.Values.Where(t => t[1] != 0).Select(t => t[1] - t[0])]);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _meters.Select(m => m.Client).Append(_publisher))
        {
            try
            {
                if (c.IsConnected)
                {
                    await c.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
            }
            c.Dispose();
        }
    }
}
