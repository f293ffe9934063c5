using System.Buffers;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;

namespace Prepay.Cli.Bench;

/// <summary>
/// The nodes bench's meters: MQTT 5 clients on the shared broker, each publishing readings (four per message, QoS 1,
/// the next once the broker took the last) and acknowledging every command it is sent as applied, as a smart meter
/// does. Reading times start far in the past and step 15 minutes, so each is new to the server and none is from its future.
/// </summary>
internal sealed class NodesFleet(IReadOnlyList<string> numbers, int brokerPort, MeterCredentials credentials) : IAsyncDisposable
{
    private const int ReadingsPerMessage = 4;
    private static readonly DateTimeOffset FirstReading = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<IMqttClient> _clients = [];
    private long _published;

    /// <summary>Readings the broker has accepted so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    public async Task ConnectAsync(CancellationToken ct)
    {
        foreach (var number in numbers)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var gate = new Lock();
            var acks = Task.CompletedTask;
            client.ApplicationMessageReceivedAsync += e =>
            {
                var command = JsonSerializer.Deserialize<CommandMessage>(e.ApplicationMessage.Payload.ToArray(), ProtocolJson.Options)!;
                var ack = new AckMessage(command.CommandId, AckResults.Applied, null, DateTimeOffset.UnixEpoch);
                lock (gate)
                {
                    // Not awaited in the handler (a QoS 1 publish would wait on its own receive loop); chained, in order.
                    acks = acks.ContinueWith(_ => PublishAsync(client, number, Topics.Acks, ack, CancellationToken.None), TaskScheduler.Default).Unwrap();
                }
                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", brokerPort)
                .WithClientId(number)
                .WithCredentials(number, credentials.PasswordFor(number))
                .WithCleanSession()
                .Build(), ct);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(Topics.For(number, Topics.Commands)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build(), ct);
            _clients.Add(client);
        }
    }

    /// <summary>Every meter publishes until <paramref name="stop"/> (each round of the bench has a fresh database).</summary>
    public Task PublishAsync(CancellationToken stop) =>
        Task.WhenAll(_clients.Select((client, i) => Task.Run(async () =>
        {
            var at = FirstReading;
            while (!stop.IsCancellationRequested)
            {
                var readings = Enumerable.Range(0, ReadingsPerMessage).Select(k => new ReadingPayload(at.AddMinutes(15 * k), 1_000 + k, 250, 40_000, 2300, 1100, 253)).ToList();
                at = at.AddMinutes(15 * ReadingsPerMessage);
                try
                {
                    if (await PublishAsync(client, numbers[i], Topics.Readings, new ReadingsMessage(readings), stop) == MqttClientPublishReasonCode.Success)
                    {
                        Interlocked.Add(ref _published, ReadingsPerMessage);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (MQTTnet.Exceptions.MqttCommunicationTimedOutException)
                {
                    // The broker holds more unacknowledged messages for the nodes than they take: not counted, go on.
                }
                // Paced: as fast as the broker takes them, a meter would starve the others' lanes' own share of the machine.
                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None)));

    private static async Task<MqttClientPublishReasonCode> PublishAsync(IMqttClient client, string number, string kind, object payload, CancellationToken ct) =>
        (await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(number, kind))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJson.Options))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), ct)).ReasonCode;

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            }
            client.Dispose();
        }
        _clients.Clear();
    }
}
