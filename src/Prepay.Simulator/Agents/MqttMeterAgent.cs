using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using NodaTime;
using Prepay.MeterLink.Mqtt;
using Prepay.Meter;
using Prepay.Meter.Commands;
using Prepay.Meter.Events;
using Prepay.Meter.Keypad;
using Prepay.Meter.Registers;
using Prepay.Sts.Meter;

namespace Prepay.Simulator.Agents;

/// <summary>
/// One <see cref="PrepaidMeter"/> on MQTT, speaking the v1 topic scheme as meter firmware would: it logs in with its
/// number and password, keeps a persistent session (commands queued while it is offline arrive when it is back),
/// leaves a last will on its status topic, applies commands and acknowledges each with the meter's own answer,
/// and publishes readings (15-minute intervals, batched), events and its status (on change and as a heartbeat).
/// What it cannot publish while offline waits in an outbox, as a real meter's memory would keep it.
/// All access to the meter goes through one gate: the fleet's clock, commands and the keypad never overlap.
/// A command is believed only when the meter authenticates it (<see cref="PrepaidMeter.Authenticate"/>): signed with
/// its command key over <see cref="CommandSignature.Bytes"/>, newer than the last accepted, not expired.
/// </summary>
public sealed class MqttMeterAgent : IFleetAgent
{
    private readonly PrepaidMeter _meter;
    private readonly AgentEndpoint _endpoint;
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<CommandMessage> _inbox = Channel.CreateUnbounded<CommandMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<Guid> _tokenCommands = [];
    private readonly List<ReadingPayload> _readings = [];
    private readonly List<EventPayload> _events = [];
    private readonly Queue<(string Kind, object Payload)> _outbox = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _commandLoop;
    private RelayState _lastRelay;
    private Instant _lastStatusAt;
    private bool _online;

    public MqttMeterAgent(PrepaidMeter meter, AgentEndpoint endpoint)
    {
        _meter = meter;
        _endpoint = endpoint;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            try
            {
                var command = JsonSerializer.Deserialize<CommandMessage>(e.ApplicationMessage.Payload.ToArray(), ProtocolJson.Options);
                if (command is not null)
                {
                    Interlocked.Increment(ref _commandsReceived);
                    _inbox.Writer.TryWrite(command);
                }
            }
            catch (JsonException)
            {
                Interlocked.Increment(ref _malformedCommands);
            }
            return Task.CompletedTask;
        };
        _lastRelay = meter.Relay;
        _lastStatusAt = meter.Now;
    }

    public string MeterNumber => _meter.MeterId;

    public AgentEndpoint Endpoint => _endpoint;

    /// <summary>Readings per readings message; a partial batch goes out at <see cref="FlushAsync"/>.</summary>
    public int ReadingsPerMessage { get; init; } = 4;

    /// <summary>Status is published when the relay changes and at least this often (meter time).</summary>
    public Duration StatusHeartbeat { get; init; } = Duration.FromHours(1);

    public bool IsOnline => _online && _client.IsConnected;

    private long _commandsReceived;
    private long _malformedCommands;
    private long _unsignedCommands;
    private long _forgedCommands;
    private long _readingsSent;
    private long _eventsSent;
    private long _tokensTyped;
    private long _creditAddedWh;
    private long _addCreditsApplied;
    private long _relayOpenings;
    private long _relayClosings;
    private long _linkDrops;

    public long CommandsReceived => Interlocked.Read(ref _commandsReceived);

    /// <summary>Commands refused without an answer because they carried no MAC.</summary>
    public long UnsignedCommands => Interlocked.Read(ref _unsignedCommands);

    /// <summary>Commands refused without an answer because their MAC was not made with this meter's key.</summary>
    public long ForgedCommands => Interlocked.Read(ref _forgedCommands);
    public long ReadingsSent => Interlocked.Read(ref _readingsSent);
    public long EventsSent => Interlocked.Read(ref _eventsSent);
    public long TokensTyped => Interlocked.Read(ref _tokensTyped);

    /// <summary>Credit added by tokens and addCredit commands since start (the token's worth, before any emergency repayment).</summary>
    public long CreditAddedWh => Interlocked.Read(ref _creditAddedWh);

    public long AddCreditsApplied => Interlocked.Read(ref _addCreditsApplied);
    public long RelayOpenings => Interlocked.Read(ref _relayOpenings);
    public long RelayClosings => Interlocked.Read(ref _relayClosings);
    public long LinkDrops => Interlocked.Read(ref _linkDrops);

    /// <summary>
    /// Raised when the relay closes (supply reconnected), on the thread that applied the input that closed it and
    /// under the meter's gate: handlers must be quick and must not call back into the agent. Benchmarks time a
    /// top-up to this moment.
    /// </summary>
    public event Action<MqttMeterAgent>? SupplyReconnected;

    /// <summary>Every acknowledgement sent, in order (tests read it).</summary>
    public ConcurrentQueue<AckMessage> Acks { get; } = new();

    /// <summary>Every output but readings and acks, in order (tests read the timeline here).</summary>
    public ConcurrentQueue<MeterOutput> History { get; } = new();

    /// <summary>Reads the meter under the gate (its state changes on other threads).</summary>
    public async Task<T> ReadAsync<T>(Func<PrepaidMeter, T> read, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return read(_meter);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Connects (or reconnects: the persistent session brings what was queued), subscribes and says it is online.</summary>
    public async Task ConnectAsync(CancellationToken ct = default)
    {
        var status = JsonSerializer.SerializeToUtf8Bytes(new StatusMessage(false, null, null, null, null), ProtocolJson.Options);
        var builder = new MqttClientOptionsBuilder();
        if (_endpoint.TlsFingerprint is { } pin)
        {
            // A self-signed broker (prepay demo --fleet-tls): trusted by its fingerprint, not by a CA.
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost(_endpoint.Host).WithCertificateValidationHandler(e =>
                e.Certificate is not null && CertificateFingerprint.Matches(
                    System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(e.Certificate.GetRawCertData()), pin)));
        }
        var options = builder
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithClientId(MeterNumber)
            .WithCredentials(MeterNumber, _endpoint.Password)
            .WithCleanSession(false)
            .WithSessionExpiryInterval(7 * 24 * 3600)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithWillTopic(Topics.For(MeterNumber, Topics.Status))
            .WithWillPayload(status)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.ConnectAsync(options, ct);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(Topics.For(MeterNumber, Topics.Commands)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build(), ct);
        _commandLoop ??= Task.Run(() => CommandLoopAsync(_stopping.Token), CancellationToken.None);
        await _gate.WaitAsync(ct);
        try
        {
            _online = true;
            QueueStatus();
            await DrainOutboxAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The link drops as it would in the field: no DISCONNECT courtesy, so the broker publishes the last will.</summary>
    public async Task DropLinkAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            _online = false;
            Interlocked.Increment(ref _linkDrops);
        }
        finally
        {
            _gate.Release();
        }
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build(), ct);
        }
    }

    /// <summary>Moves the meter's clock to <paramref name="to"/> and publishes what happened on the way.</summary>
    public Task AdvanceAsync(Instant to, CancellationToken ct = default) =>
        WithMeterAsync(m => to > m.Now ? m.Advance(to) : [], ct);

    /// <summary>Enters a 20-digit token on the keypad; returns what the meter did (TokenAccepted or TokenRejected, and any relay change).</summary>
    public Task<IReadOnlyList<MeterOutput>> TypeTokenAsync(string digits, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _tokensTyped);
        return WithMeterAsync(m => m.EnterToken(digits), ct);
    }

    /// <summary>Publishes the readings still batched and anything in the outbox.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            QueueReadings(force: true);
            await DrainOutboxAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<MeterOutput>> WithMeterAsync(Func<PrepaidMeter, IReadOnlyList<MeterOutput>> input, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var outputs = input(_meter);
            Record(outputs, addedByCommandWh: 0);
            await DrainOutboxAsync(ct);
            return outputs;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CommandLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var command in _inbox.Reader.ReadAllAsync(ct))
            {
                await _gate.WaitAsync(ct);
                try
                {
                    Apply(command);
                    await DrainOutboxAsync(ct);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Under the gate.
    private void Apply(CommandMessage command)
    {
        var at = _meter.Now.ToDateTimeOffset();
        switch (_meter.Authenticate(Sealed(command)))
        {
            case CommandVerdict.Unheard:
                return; // a power outage: no acknowledgement, the head-end sends it again
            case CommandVerdict.Unsigned:
                Interlocked.Increment(ref _unsignedCommands);
                return;
            case CommandVerdict.Forged:
                // No answer at all: whoever forged it learns nothing, not even that the meter heard it.
                Interlocked.Increment(ref _forgedCommands);
                return;
            case CommandVerdict.Replayed:
                _outbox.Enqueue((Topics.Acks, new AckMessage(command.CommandId, "rejected", AckReasons.Replayed, at)));
                return;
            case CommandVerdict.Expired:
                _outbox.Enqueue((Topics.Acks, new AckMessage(command.CommandId, "rejected", AckReasons.Expired, at)));
                return;
        }
        if (command.Type == CommandTypes.DeliverToken)
        {
            DeliverTokens(command, at);
            return;
        }
        // The sequence number is the meter's command id: unique per meter and increasing in issue order, as it expects.
        if (CommandTranslation.ToMeterCommand(command, command.Seq, _meter.Policy) is not { } meterCommand)
        {
            _outbox.Enqueue((Topics.Acks, new AckMessage(command.CommandId, "rejected", CommandTranslation.WhyNot(command), at)));
            return;
        }
        var result = _meter.Apply(meterCommand);
        var ack = result.OfType<CommandAck>().SingleOrDefault();
        var added = ack is CommandApplied && meterCommand is AddCredit credit ? credit.Wh : 0;
        if (added > 0)
        {
            Interlocked.Increment(ref _addCreditsApplied);
        }
        Record(result, added);
        if (ack is CommandApplied && meterCommand is ShowBalance)
        {
            QueueStatus(); // what the display shows now, for the server to compare with what it told it
        }
        AckMessage? reply = ack switch
        {
            CommandApplied => new AckMessage(command.CommandId, "applied", null, at),
            CommandDuplicate d => new AckMessage(command.CommandId, "duplicate", d.WasApplied ? null : "first arrival was not applied", at),
            CommandRejected r => new AckMessage(command.CommandId, "rejected", $"{r.Reason}: {r.Detail}", at),
            // A meter in a power outage hears nothing: no acknowledgement, the head-end sends it again.
            _ => null,
        };
        if (reply is not null)
        {
            _outbox.Enqueue((Topics.Acks, reply));
        }
    }

    // The bytes the head-end signed, rebuilt from what was parsed; arguments with no canonical form cannot have been
    // signed, so they are given no bytes (and the MAC check fails).
    private SealedCommand Sealed(CommandMessage command)
    {
        var bytes = CommandSignature.Bytes(MeterNumber, command) ?? [];
        ReadOnlyMemory<byte> mac = command.Mac is not { Length: > 0 } text ? ReadOnlyMemory<byte>.Empty
            : Base64Url.IsValid(text) ? Base64Url.DecodeFromChars(text)
            : new byte[1]; // there, but not base64url: it matches nothing
        return new SealedCommand(bytes, mac, command.Seq, Instant.FromDateTimeOffset(command.ExpiresAt));
    }

    // Under the gate. The tokens go through the keypad's own decoder, in order (docs/mqtt.md, deliverToken), so its
    // TID memory decides: a token typed before it arrived is USED now, and the acknowledgement says so
    // (rejected, reason token-used), which the head-end records as delivered at the keypad.
    private void DeliverTokens(CommandMessage command, DateTimeOffset at)
    {
        if (_tokenCommands.Contains(command.CommandId))
        {
            _outbox.Enqueue((Topics.Acks, new AckMessage(command.CommandId, "duplicate", null, at)));
            return;
        }
        var tokens = CommandTranslation.Strings(command.Args, "tokens") ?? (CommandTranslation.String(command.Args, "token") is { } one ? [one] : []);
        if (tokens.Count == 0)
        {
            _outbox.Enqueue((Topics.Acks, new AckMessage(command.CommandId, "rejected", "invalid-args: no token", at)));
            return;
        }
        int accepted = 0;
        string? refusal = null;
        foreach (var token in tokens)
        {
            var outputs = _meter.EnterToken(token, TokenSource.Remote);
            if (outputs.Count == 0)
            {
                return; // a dark keypad (power outage): no acknowledgement, the head-end sends it again
            }
            Record(outputs, 0);
            if (outputs.OfType<TokenAccepted>().Any())
            {
                accepted++;
            }
            else if (outputs.OfType<TokenRejected>().FirstOrDefault() is { Result: not KeypadResult.Used } r)
            {
                refusal ??= $"{r.Result}: {r.Reason}";
            }
        }
        _tokenCommands.Add(command.CommandId);
        if (accepted > 0)
        {
            QueueStatus(); // a key change shows in the key revision the status reports
        }
        var ack = refusal is not null ? new AckMessage(command.CommandId, "rejected", refusal, at)
            : accepted > 0 ? new AckMessage(command.CommandId, "applied", null, at)
            : new AckMessage(command.CommandId, "rejected", AckReasons.TokenUsed, at);
        _outbox.Enqueue((Topics.Acks, ack));
    }

    // Under the gate: sorts outputs into the outbox and counters.
    private void Record(IReadOnlyList<MeterOutput> outputs, long addedByCommandWh)
    {
        if (addedByCommandWh > 0)
        {
            Interlocked.Add(ref _creditAddedWh, addedByCommandWh);
        }
        foreach (var output in outputs)
        {
            switch (output)
            {
                case Reading r:
                    _readings.Add(OutputMessages.Reading(r));
                    break;
                case CommandAck:
                    break; // acknowledged by Apply, with the head-end's id
                default:
                    if (output is TokenAccepted t)
                    {
                        Interlocked.Add(ref _creditAddedWh, t.TokenWh);
                    }
                    if (output is RelayOpened)
                    {
                        Interlocked.Increment(ref _relayOpenings);
                    }
                    if (output is RelayClosed)
                    {
                        Interlocked.Increment(ref _relayClosings);
                        SupplyReconnected?.Invoke(this);
                    }
                    History.Enqueue(output);
                    _events.Add(OutputMessages.Event(output));
                    break;
            }
        }
        if (_events.Count > 0)
        {
            _outbox.Enqueue((Topics.Events, new EventsMessage([.. _events])));
            _events.Clear();
        }
        QueueReadings(force: false);
        // A credit-mode change moves the register in one step (to 0, or to the credit taken over): the status says so at
        // once rather than at the next heartbeat.
        if (_meter.Relay != _lastRelay || _meter.Now - _lastStatusAt >= StatusHeartbeat || outputs.Any(o => o is CreditHandedOver or CreditTakenOver))
        {
            QueueStatus();
        }
    }

    private void QueueReadings(bool force)
    {
        while (_readings.Count >= ReadingsPerMessage || (force && _readings.Count > 0))
        {
            var n = Math.Min(_readings.Count, ReadingsPerMessage);
            _outbox.Enqueue((Topics.Readings, new ReadingsMessage([.. _readings.Take(n)])));
            _readings.RemoveRange(0, n);
        }
    }

    private void QueueStatus()
    {
        _lastRelay = _meter.Relay;
        _lastStatusAt = _meter.Now;
        var shown = _meter.ShownBalance;
        _outbox.Enqueue((Topics.Status, new StatusMessage(true, _meter.Relay == RelayState.Connected ? "connected" : "disconnected",
            _meter.CreditWh, _meter.EnergyWh, _meter.Now.ToDateTimeOffset(), _meter.KeyRevisionNumber,
            shown?.Minor, shown?.Currency, shown?.AsOf.ToDateTimeOffset())));
    }

    // Under the gate. Offline, everything waits; a failed publish stays first in line.
    private async Task DrainOutboxAsync(CancellationToken ct)
    {
        while (_online && _client.IsConnected && _outbox.TryPeek(out var next))
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topics.For(MeterNumber, next.Kind))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(next.Payload, next.Payload.GetType(), ProtocolJson.Options))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(next.Kind == Topics.Status)
                .Build();
            try
            {
                await _client.PublishAsync(message, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return;
            }
            _outbox.Dequeue();
            switch (next.Payload)
            {
                case ReadingsMessage r:
                    Interlocked.Add(ref _readingsSent, r.Readings.Count);
                    break;
                case EventsMessage e:
                    Interlocked.Add(ref _eventsSent, e.Events.Count);
                    break;
                case AckMessage a:
                    Acks.Enqueue(a);
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_commandLoop is not null)
        {
            await _commandLoop;
        }
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
            }
        }
        _client.Dispose();
        _gate.Dispose();
        _stopping.Dispose();
    }
}
