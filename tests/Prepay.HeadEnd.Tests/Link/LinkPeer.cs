using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Protocol;
using Prepay.HeadEnd.Mqtt.Tls;
using Prepay.MeterLink.Mqtt;

namespace Prepay.HeadEnd.Tests.Link;

/// <summary>
/// A meter's connection as the link tests need it: plain from a chosen local address, or TLS pinning the server's
/// certificate, with or without a client certificate. <see cref="Result"/> is null when no MQTT session began (the
/// TLS handshake was refused).
/// </summary>
public sealed class LinkPeer : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public MqttClientConnectResultCode? Result { get; private set; }

    public bool Connected => Result == MqttClientConnectResultCode.Success;

    public static async Task<LinkPeer> TlsAsync(int port, string fingerprint, string clientId, string? password, X509Certificate2? certificate = null, string? userName = null)
    {
        var peer = new LinkPeer();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(o =>
            {
                o.UseTls().WithTargetHost("127.0.0.1")
                    .WithCertificateValidationHandler(e => e.Certificate is not null && MeterTlsCertificates.MatchesFingerprint(X509CertificateLoader.LoadCertificate(e.Certificate.GetRawCertData()), fingerprint));
                if (certificate is not null)
                {
                    o.WithClientCertificates([certificate]);
                }
            });
        if (password is not null || userName is not null)
        {
            options = options.WithCredentials(userName ?? clientId, password);
        }
        await peer.ConnectAsync(options.Build());
        return peer;
    }

    public static async Task<LinkPeer> PlainAsync(IPAddress server, int port, string meterNumber, string password)
    {
        var peer = new LinkPeer();
        await peer.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(server.ToString(), port)
            .WithClientId(meterNumber)
            .WithCredentials(meterNumber, password)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build());
        return peer;
    }

    private async Task ConnectAsync(MqttClientOptions options)
    {
        try
        {
            Result = (await _client.ConnectAsync(options)).ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e)
        {
            // The exception carries the broker's reason code only in its message.
            Result = Enum.GetValues<MqttClientConnectResultCode>().Where(c => c != MqttClientConnectResultCode.Success)
                .FirstOrDefault(c => e.Message.Contains(c.ToString(), StringComparison.Ordinal), MqttClientConnectResultCode.UnspecifiedError);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or System.Security.Authentication.AuthenticationException or IOException)
        {
            // The TLS handshake failed or the broker closed the socket: no MQTT answer at all.
            Result = null;
        }
    }

    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, byte[] payload)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.ReasonCode;
    }

    public Task<MqttClientPublishReasonCode> PublishAsync(string meter, string kind, object payload) =>
        PublishAsync(Topics.For(meter, kind), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJson.Options));

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }
        _client.Dispose();
    }
}
