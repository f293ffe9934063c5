using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.HeadEnd.Mqtt;
using Prepay.HeadEnd.Mqtt.Tls;
using Prepay.MeterLink.Mqtt;
using Prepay.Testing;

namespace Prepay.HeadEnd.Tests.Link;

/// <summary>
/// The generated Mosquitto configuration run by the real Mosquitto: its TLS listener for meters with and without
/// client certificates, and the takeover rule the embedded broker has (a second connection under a meter's client id
/// is still that meter and nothing more).
/// </summary>
public sealed class MosquittoLinkTests : IDisposable
{
    private const string Meter = "04000000017";
    private const string OtherMeter = "04000000025";

    private readonly TestCertificates _pki = new();

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<MosquittoBroker> StartAsync(ClientCertificateMode mode)
    {
        MosquittoBroker.SkipUnlessAvailable();
        var broker = new MosquittoBroker(new MqttOptions
        {
            Tls = new MeterTlsOptions
            {
                CertificatePath = _pki.ServerCertificatePath,
                KeyPath = _pki.ServerKeyPath,
                BindAddress = "127.0.0.1",
                ClientCertificates = mode,
                ClientCaPath = mode == ClientCertificateMode.None ? null : _pki.CaPath,
            },
        });
        await broker.AddMetersAsync(Meter, OtherMeter);
        await broker.StartAsync();
        return broker;
    }

    [Fact]
    public async Task With_required_certificates_mosquitto_admits_a_meter_by_its_certificate_and_refuses_one_without()
    {
        await using var broker = await StartAsync(ClientCertificateMode.Required);
        var port = broker.TlsPort!.Value;
        using var certificate = _pki.Client(Meter);
        await using (var meter = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, password: null, certificate))
        {
            Assert.True(meter.Connected, $"refused: {meter.Result}\n{broker.Log}");
            Assert.NotEqual(MqttClientPublishReasonCode.NotAuthorized, await meter.PublishAsync(Meter, Topics.Status, new StatusMessage(true, "connected", 1, 1, null)));
            // The CN is the user name, so the ACL confines it to its own topics.
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await meter.PublishAsync(OtherMeter, Topics.Status, new StatusMessage(true, "connected", 1, 1, null)));
        }
        await using var without = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, broker.Credentials.PasswordFor(Meter));
        Assert.False(without.Connected);
        using var forged = _pki.Client(Meter, strangerCa: true);
        await using var stranger = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, null, forged);
        Assert.False(stranger.Connected);
    }

    [Fact]
    public async Task Without_client_certificates_mosquitto_admits_a_meter_over_tls_by_its_password_only()
    {
        await using var broker = await StartAsync(ClientCertificateMode.None);
        var port = broker.TlsPort!.Value;
        await using (var meter = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, broker.Credentials.PasswordFor(Meter)))
        {
            Assert.True(meter.Connected, $"refused: {meter.Result}\n{broker.Log}");
        }
        await using var wrong = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, "not-the-password");
        Assert.False(wrong.Connected);
    }

    [Fact]
    public async Task A_second_connection_under_a_meters_client_id_can_neither_read_everything_nor_command_another_meter()
    {
        await using var broker = await StartAsync(ClientCertificateMode.None);
        await using var other = new BrokerMeter(OtherMeter) { AcknowledgeCommands = false };
        Assert.Equal(MqttClientConnectResultCode.Success, await other.ConnectAsync(broker.Port, broker.Credentials.PasswordFor(OtherMeter)));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await other.SubscribeAsync());

        var forged = Encoding.UTF8.GetBytes($$"""{"commandId":"{{Guid.NewGuid()}}","type":"addCredit","args":{"energyWh":1000000},"issuedAt":"2026-11-23T08:00:00Z","expiresAt":"2026-11-30T08:00:00Z"}""");
        await using var first = new MeterPeer(Meter);
        Assert.Equal(MqttClientConnectResultCode.Success, await first.ConnectAsync(broker.Port, broker.Credentials.PasswordFor(Meter)));
        // A meter's credentials under another meter's client id are still that meter (use_username_as_clientid): it
        // takes over the meter's own first connection, not the other meter's.
        await using var impostor = new MeterPeer(Meter);
        Assert.Equal(MqttClientConnectResultCode.Success, await impostor.ConnectAsync(broker.Port, broker.Credentials.PasswordFor(Meter), clientId: OtherMeter));
        await first.Disconnected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await impostor.PublishToAsync(Topics.For(OtherMeter, Topics.Commands), forged));

        // A second connection under the meter's own client id (a takeover) is held to the same rules.
        await using var second = new BrokerMeter(Meter) { AcknowledgeCommands = false };
        Assert.Equal(MqttClientConnectResultCode.Success, await second.ConnectAsync(broker.Port, broker.Credentials.PasswordFor(Meter)));
        await impostor.Disconnected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        // Mosquitto 2.0 grants a '#' subscription and applies the ACL to each message it would deliver (the embedded
        // broker refuses the subscription itself): what matters is that nothing of another meter arrives, below.
        await second.SubscribeAsync("#");
        await second.SubscribeAsync();
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await second.PublishAsync(Topics.Commands, System.Text.Json.JsonDocument.Parse(forged).RootElement, asMeter: OtherMeter));

        // The other meter's own traffic, which a '#' subscriber would see on an open broker.
        await other.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 1, 1, null));

        // The head-end's command, published after all that, is the first and only thing the other meter receives.
        using var service = new MqttClientFactory().CreateMqttClient();
        await service.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.ServicePort)
            .WithClientId("prepay-headend-test").WithCredentials("prepay-headend", broker.Credentials.ServicePassword).Build(), Ct);
        var realId = Guid.NewGuid();
        await service.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(OtherMeter, Topics.Commands))
            .WithPayload(Encoding.UTF8.GetBytes($$"""{"commandId":"{{realId}}","type":"readNow","issuedAt":"2026-11-23T08:00:00Z","expiresAt":"2026-11-30T08:00:00Z"}"""))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!other.Commands.Any(c => c.CommandId == realId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Equal(realId, Assert.Single(other.Commands).CommandId);
        // And the '#' subscriber, sent its own command last, received that and nothing of the other meter's
        // (its own retained status, the last will of its first connection, it may read).
        await service.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(Meter, Topics.Commands))
            .WithPayload(Encoding.UTF8.GetBytes($$"""{"commandId":"{{Guid.NewGuid()}}","type":"readNow","issuedAt":"2026-11-23T08:00:00Z","expiresAt":"2026-11-30T08:00:00Z"}"""))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        while (!second.Received.Contains(Topics.For(Meter, Topics.Commands)) && DateTime.UtcNow < deadline.AddSeconds(10))
        {
            await Task.Delay(20, Ct);
        }
        Assert.Contains(Topics.For(Meter, Topics.Commands), second.Received);
        Assert.All(second.Received, topic => Assert.StartsWith(Topics.For(Meter, ""), topic, StringComparison.Ordinal));
    }

    public void Dispose() => _pki.Dispose();
}
