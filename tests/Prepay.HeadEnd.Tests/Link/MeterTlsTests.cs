using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using Prepay.HeadEnd.Mqtt;
using Prepay.HeadEnd.Mqtt.Tls;
using Prepay.MeterLink.Mqtt;
using Prepay.Testing;

namespace Prepay.HeadEnd.Tests.Link;

/// <summary>
/// The embedded broker's meter link: TLS with no, optional and required client certificates (whose CN must be the
/// meter), and plain MQTT from loopback only.
/// </summary>
public sealed class MeterTlsTests : IDisposable
{
    private const string Meter = "04000000017";
    private const string OtherMeter = "04000000025";

    private readonly TestCertificates _pki = new();

    private MqttOptions Tls(ClientCertificateMode mode) => new()
    {
        Tls = new MeterTlsOptions
        {
            CertificatePath = _pki.ServerCertificatePath,
            KeyPath = _pki.ServerKeyPath,
            Port = 0,
            BindAddress = "127.0.0.1",
            ClientCertificates = mode,
            ClientCaPath = mode == ClientCertificateMode.None ? null : _pki.CaPath,
        },
    };

    // No head-end is subscribed to this broker: an accepted publish reaches no one.
    private static bool Accepted(MqttClientPublishReasonCode code) => code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;

    [Fact]
    public async Task Without_client_certificates_a_meter_connects_over_tls_with_its_password_and_a_wrong_password_is_refused()
    {
        await using var link = await LinkBroker.StartAsync(Tls(ClientCertificateMode.None));
        var port = link.Broker.TlsPort!.Value;

        await using var meter = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, link.Credentials.PasswordFor(Meter));
        Assert.True(meter.Connected, $"refused: {meter.Result}");
        Assert.True(Accepted(await meter.PublishAsync(Meter, Topics.Status, new StatusMessage(true, "connected", 1, 1, null))));

        await using var wrong = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, "not-the-password");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrong.Result);
    }

    [Fact]
    public async Task A_client_pinning_another_fingerprint_does_not_talk_to_the_broker()
    {
        await using var link = await LinkBroker.StartAsync(Tls(ClientCertificateMode.None));
        using var other = new TestCertificates();
        await using var meter = await LinkPeer.TlsAsync(link.Broker.TlsPort!.Value, other.ServerFingerprint, Meter, link.Credentials.PasswordFor(Meter));
        Assert.Null(meter.Result);
    }

    [Fact]
    public async Task With_required_client_certificates_the_meters_own_certificate_is_accepted_without_a_password()
    {
        await using var link = await LinkBroker.StartAsync(Tls(ClientCertificateMode.Required));
        using var certificate = _pki.Client(Meter);
        await using var meter = await LinkPeer.TlsAsync(link.Broker.TlsPort!.Value, _pki.ServerFingerprint, Meter, password: null, certificate);
        Assert.True(meter.Connected, $"refused: {meter.Result}");
        Assert.True(Accepted(await meter.PublishAsync(Meter, Topics.Status, new StatusMessage(true, "connected", 1, 1, null))));
        // Still that meter's topics only.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await meter.PublishAsync(OtherMeter, Topics.Status, new StatusMessage(true, "connected", 1, 1, null)));
    }

    [Fact]
    public async Task With_required_client_certificates_a_meter_without_one_is_refused_even_with_its_password()
    {
        await using var link = await LinkBroker.StartAsync(Tls(ClientCertificateMode.Required));
        await using var meter = await LinkPeer.TlsAsync(link.Broker.TlsPort!.Value, _pki.ServerFingerprint, Meter, link.Credentials.PasswordFor(Meter));
        Assert.False(meter.Connected);
    }

    [Fact]
    public async Task A_certificate_for_another_meter_or_from_another_ca_is_refused()
    {
        await using var link = await LinkBroker.StartAsync(Tls(ClientCertificateMode.Required));
        var port = link.Broker.TlsPort!.Value;
        using var others = _pki.Client(OtherMeter);
        await using (var mismatch = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, link.Credentials.PasswordFor(Meter), others))
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, mismatch.Result);
        }
        await using (var asUser = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, OtherMeter, null, others, userName: Meter))
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, asUser.Result);
        }
        using var forged = _pki.Client(Meter, strangerCa: true);
        await using var stranger = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, link.Credentials.PasswordFor(Meter), forged);
        Assert.False(stranger.Connected);
    }

    [Fact]
    public async Task With_optional_client_certificates_a_meter_connects_either_with_its_certificate_or_with_its_password()
    {
        await using var link = await LinkBroker.StartAsync(Tls(ClientCertificateMode.Optional));
        var port = link.Broker.TlsPort!.Value;
        using var certificate = _pki.Client(Meter);
        await using (var withCertificate = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, null, certificate))
        {
            Assert.True(withCertificate.Connected, $"refused: {withCertificate.Result}");
        }
        await using (var withPassword = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, link.Credentials.PasswordFor(Meter)))
        {
            Assert.True(withPassword.Connected, $"refused: {withPassword.Result}");
        }
        await using var neither = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, "not-the-password");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, neither.Result);
        using var others = _pki.Client(OtherMeter);
        await using var mismatch = await LinkPeer.TlsAsync(port, _pki.ServerFingerprint, Meter, link.Credentials.PasswordFor(Meter), others);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, mismatch.Result);
    }

    /// <summary>An IPv4 address of this machine other than loopback, or null.</summary>
    private static IPAddress? NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    [Fact]
    public async Task Plain_mqtt_from_an_address_other_than_loopback_is_refused_unless_configured()
    {
        var address = NonLoopbackAddress();
        Assert.SkipWhen(address is null, "this machine has no IPv4 address other than loopback (PlainLink.Allows is tested on its own below)");
        await using (var link = await LinkBroker.StartAsync(new MqttOptions { Host = "0.0.0.0" }))
        {
            await using var remote = await LinkPeer.PlainAsync(address!, link.Broker.Port, Meter, link.Credentials.PasswordFor(Meter));
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, remote.Result);
            await using var local = await LinkPeer.PlainAsync(IPAddress.Loopback, link.Broker.Port, Meter, link.Credentials.PasswordFor(Meter));
            Assert.True(local.Connected, $"refused: {local.Result}");
        }
        await using (var open = await LinkBroker.StartAsync(new MqttOptions { Host = "0.0.0.0", PlainBeyondLoopback = true }))
        {
            await using var remote = await LinkPeer.PlainAsync(address!, open.Broker.Port, Meter, open.Credentials.PasswordFor(Meter));
            Assert.True(remote.Connected, $"refused: {remote.Result}");
        }
    }

    [Theory]
    [InlineData("127.0.0.1", false, false, true)]
    [InlineData("::1", false, false, true)]
    [InlineData("::ffff:127.0.0.1", false, false, true)]
    [InlineData("192.0.2.7", false, false, false)]
    [InlineData("fd00::7", false, false, false)]
    [InlineData("192.0.2.7", true, false, true)]
    [InlineData("192.0.2.7", false, true, true)]
    public void Plain_is_allowed_from_loopback_tls_from_anywhere(string remote, bool secure, bool plainBeyondLoopback, bool allowed) =>
        Assert.Equal(allowed, PlainLink.Allows(new IPEndPoint(IPAddress.Parse(remote), 40000), secure, plainBeyondLoopback));

    [Fact]
    public void The_old_tls_switch_is_refused_with_its_new_name()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mqtt:Tls"] = "true" }).Build();
        var e = Assert.Throws<InvalidOperationException>(() => { _ = MqttOptions.From(configuration); });
        Assert.Contains("Mqtt:ExternalBrokerTls", e.Message, StringComparison.Ordinal);
        var renamed = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mqtt:ExternalBrokerTls"] = "true", ["Mqtt:Tls:Port"] = "8884" }).Build();
        var options = MqttOptions.From(renamed);
        Assert.True(options.ExternalBrokerTls);
        Assert.Equal(8884, options.Tls.Port);
    }

    public void Dispose() => _pki.Dispose();
}
