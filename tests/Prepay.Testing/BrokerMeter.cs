using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.MeterLink.Mqtt;

namespace Prepay.Testing;

/// <summary>
/// A meter on an external broker: a real MQTT 5 client with the v1 topics, an optional persistent session, and a
/// meter's command semantics: it acknowledges each command it receives, <c>applied</c> the first time a command id
/// arrives and <c>duplicate</c> after, so a command is applied at most once however often it is delivered.
/// </summary>
public sealed class BrokerMeter : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<Guid, int> _deliveries = new();
    private readonly Lock _acksGate = new();
    private Task _acks = Task.CompletedTask;

    public BrokerMeter(string meterNumber)
    {
        MeterNumber = meterNumber;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Received.Enqueue(e.ApplicationMessage.Topic);
            if (e.ApplicationMessage.Topic != Topics.For(MeterNumber, Topics.Commands))
            {
                return Task.CompletedTask;
            }
            var command = JsonSerializer.Deserialize<CommandMessage>(e.ApplicationMessage.Payload.ToArray(), ProtocolJson.Options)!;
            var n = _deliveries.AddOrUpdate(command.CommandId, 1, (_, k) => k + 1);
            Commands.Enqueue(command);
            if (AcknowledgeCommands)
            {
                // Not awaited here: a QoS 1 publish from inside the receive handler would wait on its own loop. Chained,
                // so acknowledgements leave in the order the commands came, as a meter's would ("applied" first).
                var ack = new AckMessage(command.CommandId, n == 1 ? "applied" : "duplicate", null, DateTimeOffset.UnixEpoch);
                lock (_acksGate)
                {
                    _acks = _acks.ContinueWith(_ => PublishAsync(Topics.Acks, ack), TaskScheduler.Default).Unwrap();
                }
            }
            return Task.CompletedTask;
        };
    }

    public string MeterNumber { get; }

    public bool AcknowledgeCommands { get; set; } = true;

    public ConcurrentQueue<CommandMessage> Commands { get; } = new();

    /// <summary>The topic of every message the broker delivered, whatever it was.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>How many times a command id was delivered.</summary>
    public int Deliveries(Guid commandId) => _deliveries.GetValueOrDefault(commandId);

    public async Task<MqttClientConnectResultCode> ConnectAsync(int port, string password, bool persistentSession = false)
    {
        try
        {
            var result = await _client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(MeterNumber)
                .WithCredentials(MeterNumber, password)
                .WithCleanSession(!persistentSession)
                .WithSessionExpiryInterval(persistentSession ? 3600u : 0u)
                .WithWillTopic(Topics.For(MeterNumber, Topics.Status))
                .WithWillPayload(Encoding.UTF8.GetBytes("""{"online":false}"""))
                .WithWillRetain()
                .Build());
            return result.ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e)
        {
            // The exception carries the broker's reason code only in its message.
            return Enum.GetValues<MqttClientConnectResultCode>().Where(c => c != MqttClientConnectResultCode.Success)
                .FirstOrDefault(c => e.Message.Contains(c.ToString(), StringComparison.Ordinal), MqttClientConnectResultCode.UnspecifiedError);
        }
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string? topic = null)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(topic ?? Topics.For(MeterNumber, Topics.Commands)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build());
        return result.Items.Single().ResultCode;
    }

    public async Task<MqttClientPublishReasonCode> PublishAsync(string kind, object payload, string? asMeter = null)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(asMeter ?? MeterNumber, kind))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJson.Options))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return result.ReasonCode;
    }

    public async Task DisconnectAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        _client.Dispose();
    }
}
