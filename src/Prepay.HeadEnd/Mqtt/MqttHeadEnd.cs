using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;

namespace Prepay.HeadEnd.Mqtt;

/// <summary>
/// The head-end's own MQTT client: subscribes to everything meters send and hands it to
/// <see cref="MeterMessageHandler"/> in lanes (<see cref="MqttOptions.IngestLanes"/>): a meter's messages in order in
/// its lane, different meters' side by side. It publishes commands as MQTT v1 (<see cref="V1Commands"/>), each signed with the
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

    /// <summary>
    /// Which lane handles <paramref name="meterNumber"/>'s messages (0 to <see cref="MqttOptions.IngestLanes"/> − 1):
    /// always the same one in this process, so a meter's messages are handled in the order they arrived.
    /// </summary>
    /// <summary>Messages waiting in the ingest lanes now (a metric).</summary>
    public int LaneDepth => _lanes.Sum(l => l.Reader.Count);

    public int LaneOf(string meterNumber) => (int)(unchecked((uint)StringComparer.Ordinal.GetHashCode(meterNumber)) % (uint)_lanes.Length);

    private readonly Channel<Received>[] _lanes = Enumerable.Range(0, options.IngestLanes)
        .Select(_ => Channel.CreateBounded<Received>(new BoundedChannelOptions(MqttOptions.IngestLaneCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }))
        .ToArray();

    /// <summary>A meter's message as it waits in its lane, its payload copied out of the client's receive buffer.</summary>
    private sealed record Received(MqttApplicationMessageReceivedEventArgs Message, string Meter, string Kind, byte[] Payload);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lanes = _lanes.Select(lane => Task.Run(() => HandleLaneAsync(lane.Reader, stoppingToken), CancellationToken.None)).ToArray();
        _client.ApplicationMessageReceivedAsync += async e =>
        {
            // The PUBACK says "delivered": it goes only once what the message carries is committed (readings,
            // statuses and acknowledgements by their batch writers after the handler returns), so a crash in between
            // leaves the message with the broker, which delivers it again to this node's session.
            e.AutoAcknowledge = false;
            if (!Topics.TryParse(e.ApplicationMessage.Topic, out var meter, out var kind)
                // Through the embedded broker a message was admitted at publish; from any other broker it is admitted
                // here, once, before it is parsed or retried.
                || (broker is null && !limits.AdmitMessage(meter)))
            {
                _ = AcknowledgeWhenStoredAsync(e, Task.CompletedTask, stoppingToken);
                return;
            }
            try
            {
                // Handed to the meter's lane and returned at once: the client dispatches the next message, other
                // meters' messages go on in the other lanes. A full lane makes this wait (the broker holds the rest).
                await _lanes[LaneOf(meter)].Writer.WriteAsync(new Received(e, meter, kind, e.ApplicationMessage.Payload.ToArray()), stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                // Stopping: not handled, not acknowledged; the broker delivers it again.
            }
            catch (Exception ex)
            {
                // The client would swallow it unseen, and the message would wait unacknowledged until a reconnection.
                logger.LogError(ex, "A message from meter {Meter} could not be queued for handling; it is not acknowledged", meter);
            }
        };
        try
        {
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
        finally
        {
            // What is still in a lane is abandoned, unacknowledged: the broker keeps it for this node's session.
            foreach (var lane in _lanes)
            {
                lane.Writer.TryComplete();
            }
            await Task.WhenAll(lanes);
        }
    }

    /// <summary>One lane: its meters' messages one at a time, in order; each acknowledged once its content commits.</summary>
    private async Task HandleLaneAsync(ChannelReader<Received> lane, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var m in lane.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var handled = await HandleWithRetriesAsync(m.Meter, m.Kind, m.Payload, stoppingToken);
                    _ = AcknowledgeWhenStoredAsync(m.Message, handled.Stored, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever one message does, its lane (and every meter in it) must go on; it stays unacknowledged.
                    logger.LogError(ex, "Handling {Kind} from meter {Meter} failed; the message is not acknowledged", m.Kind, m.Meter);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the message being handled and those queued behind it stay unacknowledged.
        }
    }

    /// <summary>
    /// What a meter sent is refused inside <see cref="MeterMessageHandler"/> when it is bad; what escapes it is the
    /// database failing. Every write the handler makes is idempotent (keys refuse a repeat), so the message is handled
    /// again. While the database is unavailable (a failover, a restart: <see cref="WriteTransactions.IsUnavailable"/>)
    /// it is tried again with back-off for as long as that lasts, unacknowledged, so the meter's events are not lost to
    /// a failover that outlasts a few retries; any other failure is tried a few times and then given up with an error
    /// in the log: one meter's message must never stop the head-end.
    /// </summary>
    private async Task<Handled> HandleWithRetriesAsync(string meter, string kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var unavailable = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await handler.HandleAsync(meter, kind, payload, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && WriteTransactions.IsUnavailable(ex))
            {
                if (unavailable++ == 0)
                {
                    logger.LogWarning("Handling {Kind} from meter {Meter} waits for the database ({Message}); the message stays unacknowledged until it is stored", kind, meter, ex.Message);
                }
                attempt--; // an outage is not the message's fault: it does not use up the message's attempts
                await Task.Delay(WriteTransactions.UnavailableRetryDelay(unavailable), ct);
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
            // MQTT 5: shared subscriptions, the session's expiry and user properties (a command's trace context) are its.
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
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
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(meterNumber, Topics.Commands))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJson.Options))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (CommandTracing.CurrentTraceParent() is { } traceParent && _client.Options?.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500)
        {
            // MQTT 5 user property: a meter or gateway that traces continues the command's trace (a 3.1.1 client never sees it).
            builder = builder.WithUserProperty(CommandTracing.TraceParentProperty, System.Text.Encoding.ASCII.GetBytes(traceParent));
        }
        var message = builder.Build();
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
