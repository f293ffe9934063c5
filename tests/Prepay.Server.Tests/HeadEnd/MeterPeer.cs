using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.HeadEnd.Protocol;

namespace Prepay.Server.Tests.HeadEnd;

/// <summary>A meter as the broker sees it: a real MQTT client speaking the v1 topic scheme, and nothing more.</summary>
public sealed class MeterPeer : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public MeterPeer(string meterNumber) => MeterNumber = meterNumber;

    public string MeterNumber { get; }

    public ConcurrentQueue<CommandMessage> Commands { get; } = new();

    public async Task<MqttClientConnectResultCode> ConnectAsync(int port, string password, string? clientId = null)
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Commands.Enqueue(JsonSerializer.Deserialize<CommandMessage>(e.ApplicationMessage.Payload.FirstSpan, ProtocolJson.Options)!);
            return Task.CompletedTask;
        };
        try
        {
            var result = await _client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(clientId ?? MeterNumber)
                .WithCredentials(MeterNumber, password)
                .WithWillTopic(Topics.For(MeterNumber, Topics.Status))
                .WithWillPayload(Encoding.UTF8.GetBytes("""{"online":false}"""))
                .WithWillRetain()
                .Build());
            return result.ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e)
        {
            // The exception carries the broker's reason code only in its message.
            return e.Message.Contains(nameof(MqttClientConnectResultCode.BadUserNameOrPassword), StringComparison.Ordinal)
                ? MqttClientConnectResultCode.BadUserNameOrPassword
                : MqttClientConnectResultCode.UnspecifiedError;
        }
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string? topic = null)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(topic ?? Topics.For(MeterNumber, Topics.Commands)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build());
        return result.Items.Single().ResultCode;
    }

    public Task PublishAsync(string kind, object payload, string? asMeter = null) =>
        PublishRawAsync(kind, JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJson.Options), asMeter);

    public async Task PublishRawAsync(string kind, byte[] payload, string? asMeter = null) =>
        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(asMeter ?? MeterNumber, kind))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }
}
