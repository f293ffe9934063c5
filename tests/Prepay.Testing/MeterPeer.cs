using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Prepay.MeterLink.Mqtt;

namespace Prepay.Testing;

/// <summary>A meter as the broker sees it: a real MQTT client speaking the v1 topic scheme, and nothing more.</summary>
public sealed class MeterPeer : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MeterPeer(string meterNumber)
    {
        MeterNumber = meterNumber;
        _client.DisconnectedAsync += _ =>
        {
            _disconnected.TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes when the broker has closed this connection (after it was open).</summary>
    public Task Disconnected => _disconnected.Task;

    public string MeterNumber { get; }

    public ConcurrentQueue<CommandMessage> Commands { get; } = new();

    /// <summary>The <c>traceparent</c> user property each command came with, by command id (MQTT 5 connections only).</summary>
    public ConcurrentDictionary<Guid, string> TraceParents { get; } = new();

    /// <param name="protocol">The client library's default unless asked (MQTT 5 to see user properties).</param>
    public async Task<MqttClientConnectResultCode> ConnectAsync(int port, string password, string? clientId = null, MqttProtocolVersion? protocol = null)
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var command = JsonSerializer.Deserialize<CommandMessage>(e.ApplicationMessage.Payload.FirstSpan, ProtocolJson.Options)!;
            if (e.ApplicationMessage.UserProperties?.FirstOrDefault(p => p.Name == "traceparent") is { } trace)
            {
                TraceParents[command.CommandId] = Encoding.UTF8.GetString(trace.ValueBuffer.Span);
            }
            Commands.Enqueue(command);
            return Task.CompletedTask;
        };
        try
        {
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(clientId ?? MeterNumber)
                .WithCredentials(MeterNumber, password)
                .WithWillTopic(Topics.For(MeterNumber, Topics.Status))
                .WithWillPayload(Encoding.UTF8.GetBytes("""{"online":false}"""))
                .WithWillRetain();
            if (protocol is { } version)
            {
                options = options.WithProtocolVersion(version);
            }
            var result = await _client.ConnectAsync(options.Build());
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

    /// <summary>Publishes to any topic at QoS 1 and returns the broker's PUBACK reason.</summary>
    public async Task<MqttClientPublishReasonCode> PublishToAsync(string topic, byte[] payload) =>
        (await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build())).ReasonCode;

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }
}
