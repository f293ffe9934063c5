using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;

namespace Prepay.HeadEnd.Mqtt;

/// <summary>
/// The head-end's own MQTT client: subscribes to everything meters send and hands it to
/// <see cref="MeterMessageHandler"/>, and publishes commands as MQTT v1 (<see cref="V1Commands"/>), each signed with the
/// meter's command key (<see cref="CommandSignature"/>), QoS 1, to the meter's command topic. The same code
/// talks to the embedded broker and to an external one; it reconnects by itself when the broker goes away.
/// </summary>
public sealed class MqttHeadEnd(
    MqttOptions options,
    MeterCredentials credentials,
    CommandKeys keys,
    MeterMessageHandler handler,
    MeterRateLimits limits,
    ILogger<MqttHeadEnd> logger,
    EmbeddedBroker? broker = null) : BackgroundService, IMeterTransport
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Stable per node (Mqtt:ClientId, by default the service user and the host name), so that a restarted node resumes
    // its persistent session and receives what was delivered to it but not acknowledged; two nodes on one broker need
    // two ids (docs/operations.md), or the second takes the first one's session over.
    private readonly string _clientId = options.HeadEndClientId();

    /// <summary>Completes when the first connection and subscription are up (tests wait for it).</summary>
    public Task Connected => _connected.Task;

    /// <summary>Whether the head-end's own connection to the broker is up now (the node's readiness).</summary>
    public bool BrokerConnected => _client.IsConnected;

    public int BrokerPort => broker?.Port ?? options.Port;

    /// <summary>The embedded broker's TLS endpoint for meters, or null.</summary>
    public int? BrokerTlsPort => broker?.TlsPort;

    // An embedded broker bound to every address is reached on loopback, where plain MQTT is accepted.
    private string ConnectHost => broker is not null && options.Host is "0.0.0.0" ? "127.0.0.1"
        : broker is not null && options.Host is "::" ? "::1"
        : options.Host;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _client.ApplicationMessageReceivedAsync += async e =>
        {
            // The PUBACK says "delivered": it goes only once what the message carries is committed (readings are
            // committed by the batch writer after the handler returns), so a crash in between leaves the message
            // with the broker, which delivers it again to this node's session.
            e.AutoAcknowledge = false;
            var handled = Handled.Done;
            if (Topics.TryParse(e.ApplicationMessage.Topic, out var meter, out var kind))
            {
                // Through the embedded broker a message was admitted at publish; from any other broker it is
                // admitted here, once, before it is parsed or retried.
                if (broker is not null || limits.AdmitMessage(meter))
                {
                    var payload = e.ApplicationMessage.Payload;
                    var bytes = payload.IsSingleSegment ? payload.First : payload.ToArray();
                    handled = await HandleWithRetriesAsync(meter, kind, bytes, stoppingToken);
                }
            }
            _ = AcknowledgeWhenStoredAsync(e, handled.Stored, stoppingToken);
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(stoppingToken);
                    _connected.TrySetResult();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("MQTT broker at {Host}:{Port} not reachable ({Message}); retrying", options.Host, BrokerPort, e.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }

    /// <summary>
    /// What a meter sent is refused inside <see cref="MeterMessageHandler"/> when it is bad; what escapes it is the
    /// database failing (a restart, a deadlock). Every write the handler makes is idempotent (keys refuse a repeat),
    /// so the message is handled again after a pause, a few times, before it is given up with an error in the log:
    /// one meter's message must never stop the head-end.
    /// </summary>
    private async Task<Handled> HandleWithRetriesAsync(string meter, string kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await handler.HandleAsync(meter, kind, payload, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < RetryDelays.Length + 1)
            {
                logger.LogWarning("Handling {Kind} from meter {Meter} failed ({Message}); trying again", kind, meter, ex.Message);
                await Task.Delay(RetryDelays[attempt - 1], ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Handling {Kind} from meter {Meter} failed {Attempts} times; the message is dropped", kind, meter, attempt);
                return Handled.Done;
            }
        }
    }

    private async Task AcknowledgeWhenStoredAsync(MqttApplicationMessageReceivedEventArgs e, Task stored, CancellationToken ct)
    {
        try
        {
            await stored;
            await e.AcknowledgeAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // The node is stopping before the readings were committed: no PUBACK, the broker keeps the message.
        }
        catch (Exception ex)
        {
            // Not acknowledged: the broker delivers the message again when this session reconnects, and what it carries
            // is stored once (readings, events and acknowledgements are keyed). Logged, never left unobserved.
            logger.LogWarning("A meter's message could not be acknowledged to the broker ({Message}); it will be delivered again", ex.Message);
        }
    }

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    private async Task ConnectAsync(CancellationToken ct)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(ConnectHost, BrokerPort)
            .WithClientId(_clientId)
            .WithCredentials(options.ServiceUser, credentials.ServicePassword)
            .WithCleanSession(false)
            .WithSessionExpiryInterval(3600)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15));
        if (options.ExternalBrokerTls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }
        await _client.ConnectAsync(builder.Build(), ct);
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var up in Topics.UpFilters)
        {
            var filter = options.SharedSubscriptionGroup is { Length: > 0 } group ? $"$share/{group}/{up}" : up;
            subscribe = subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        }
        await _client.SubscribeAsync(subscribe.Build(), ct);
        logger.LogInformation("Head-end connected to MQTT broker {Host}:{Port}", options.Host, BrokerPort);
    }

    public MeterTransport Transport => MeterTransport.Mqtt;

    public bool CanCarry(MeterCommand command) => V1Commands.TryWrite(command, out _, out _);

    public async Task<bool> SendAsync(MeterNumber meter, CommandEnvelope envelope, CancellationToken ct)
    {
        if (!_client.IsConnected)
        {
            return false;
        }
        var meterNumber = meter.Value;
        // Every command v1 carries has arguments with a canonical form, so it can always be signed.
        var command = V1Commands.ToMessage(envelope) is { } unsigned ? CommandSignature.Seal(keys.KeyFor(meterNumber), meterNumber, unsigned) : null;
        if (command is null)
        {
            throw new InvalidOperationException($"Command {envelope.CommandId} has no signed MQTT v1 form; the dispatcher asks CanCarry first.");
        }
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(meterNumber, Topics.Commands))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJson.Options))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            var result = await _client.PublishAsync(message, ct);
            return result.IsSuccess;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Publishing command {Command} to {Meter} failed: {Message}", command.CommandId, meterNumber, e.Message);
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }
}
