using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Meter;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Tokens;

namespace Prepay.Simulator.Tests.Agents;

/// <summary>
/// A virtual meter on a loopback broker, as the head-end meets it: a signed <c>setCreditMode</c> is acknowledged at
/// once, and at the boundary the handover goes out as a <c>creditHandedOver</c> event and a status with the register at 0.
/// </summary>
public sealed class CreditModeOverMqttTests : IAsyncDisposable
{
    private const string MeterNumber = "04000000001";
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 8, 0);

    private readonly Channel<(string Kind, byte[] Payload)> _heard = Channel.CreateUnbounded<(string, byte[])>();
    private MqttServer? _broker;
    private IMqttClient? _headEnd;
    private MqttMeterAgent? _agent;

    [Fact]
    public async Task A_signed_setCreditMode_is_applied_and_the_handover_is_published_as_an_event_and_a_status_at_the_boundary()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        _broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        await _broker.StartAsync();
        _headEnd = new MqttClientFactory().CreateMqttClient();
        _headEnd.ApplicationMessageReceivedAsync += e =>
        {
            if (Topics.TryParse(e.ApplicationMessage.Topic, out _, out var kind))
            {
                _heard.Writer.TryWrite((kind, e.ApplicationMessage.Payload.ToArray()));
            }

            return Task.CompletedTask;
        };
        await _headEnd.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("head-end").Build(), ct);
        await _headEnd.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic($"{Topics.Prefix}/{MeterNumber}/+").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build(), ct);

        var meter = new PrepaidMeter(new MeterConfiguration
        {
            MeterId = MeterNumber, Seed = 1, Start = Start, Sts = DecoderKeys.None, InitialCreditWh = 5_000, LoadScalePercent = 0, CommandKey = Key,
        });
        meter.SetExtraLoad(1_000);
        _agent = new MqttMeterAgent(meter, new AgentEndpoint("127.0.0.1", port, "any"));
        await _agent.ConnectAsync(ct);

        var envelope = new CommandEnvelope(Guid.NewGuid(), 1, Start, Start + Duration.FromDays(1), new SetCreditMode(CreditMode.Central, Start + Duration.FromMinutes(5), Energy.Zero));
        var command = CommandSignature.Seal(Key, MeterNumber, V1Commands.ToMessage(envelope)!)!;
        await _headEnd.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(MeterNumber, Topics.Commands))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJson.Options)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);

        var ack = await Next<AckMessage>(Topics.Acks, _ => true);
        Assert.Equal((envelope.CommandId, "applied"), (ack.CommandId, ack.Result));

        await _agent.AdvanceAsync(Start + Duration.FromMinutes(15), ct);
        await _agent.FlushAsync(ct);

        var events = await Next<EventsMessage>(Topics.Events, m => m.Events.Any(e => e.Type == "creditHandedOver"));
        var handedOver = Assert.Single(events.Events, e => e.Type == "creditHandedOver");
        Assert.Equal(((Start + Duration.FromMinutes(15)).ToDateTimeOffset(), """{"creditWh":4750,"emergencyOwedWh":0}"""), (handedOver.At, handedOver.Details));
        var status = await Next<StatusMessage>(Topics.Status, s => s.At == (Start + Duration.FromMinutes(15)).ToDateTimeOffset());
        Assert.Equal((0L, "connected"), (status.CreditWh, status.Relay));
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
        _headEnd?.Dispose();
        if (_broker is not null)
        {
            await _broker.StopAsync();
            _broker.Dispose();
        }
    }

    // The next message of that kind that matches, skipping others; a bounded wait so a missing one fails, not hangs.
    private async Task<T> Next<T>(string kind, Func<T, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (heardKind, payload) = await _heard.Reader.ReadAsync(timeout.Token);
            if (heardKind == kind && JsonSerializer.Deserialize<T>(payload, ProtocolJson.Options) is { } message && match(message))
            {
                return message;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
