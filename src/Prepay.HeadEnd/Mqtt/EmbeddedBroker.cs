using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Security.Authentication;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt.Tls;
using Prepay.MeterLink.Mqtt;

namespace Prepay.HeadEnd.Mqtt;

/// <summary>
/// The MQTT broker that <c>prepay serve</c> starts by default, on loopback. It checks every connection (a meter
/// logs in with its number and derived password, the head-end with the service credentials) and every publish and
/// subscription against the ACL: a meter may publish only under its own topics and subscribe only to its own
/// commands. What it refuses is counted per meter.
/// Identity is never looked up in state that a connection's end could remove: a meter's connection is accepted only
/// when its client id equals its user name, so the client id of every publish and subscription names the meter it
/// came from, whatever the order of takeovers, reconnects and disconnects. Only the head-end's own connections
/// (service credentials) are remembered, by client id, and never forgotten while the broker runs. Anything else is
/// held to a meter's rules, which admit nothing outside that meter's own topics: deny unless allowed.
/// Plain MQTT is accepted from loopback only (<see cref="PlainLink"/>); meters elsewhere use the TLS endpoint
/// (<c>Mqtt:Tls</c>), where a client certificate, when there is one, stands for the meter its CN names. A meter's
/// messages beyond its allowance (<see cref="MeterRateLimits"/>) are refused at publish, before they are queued.
/// </summary>
public sealed class EmbeddedBroker(MqttOptions options, MeterCredentials credentials, RejectionCounter rejections, MeterRateLimits limits, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    // Client ids that logged in with the service credentials. Added, never removed: removal on disconnect raced a
    // takeover and left the new connection unchecked. A meter can never log in under one of these ids (its client id
    // must be its number and its password that number's), so keeping them grants nothing to anyone else.
    private readonly ConcurrentDictionary<string, bool> _serviceClients = new(StringComparer.Ordinal);
    private MqttServer? _server;

    /// <summary>The port actually listened on (differs from the option when that is 0).</summary>
    public int Port { get; private set; }

    /// <summary>The TLS endpoint's port actually listened on, or null when TLS is off.</summary>
    public int? TlsPort { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Port = options.Port != 0 ? options.Port : FreePort(options.Host);
        var (v4, v6) = PlainLink.Bindings(IPAddress.Parse(options.Host));
        var builder = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(v4)
            .WithDefaultEndpointBoundIPV6Address(v6)
            .WithDefaultEndpointPort(Port)
            .WithPersistentSessions()
            // The head-end's session receives every meter's messages; when it falls behind, the broker queues for
            // it. MQTTnet's default (1,000 messages, then drop the oldest) would silently lose readings the meters
            // were already told were delivered, so the queue is deep and anything dropped all the same is counted.
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient);
        if (options.Tls.Enabled)
        {
            builder = WithTls(builder, options.Tls);
        }
        var serverOptions = builder.Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnection;
        _server.ClientConnectedAsync += _ => { Interlocked.Increment(ref _connections); return Task.CompletedTask; };
        _server.ClientDisconnectedAsync += _ => { Interlocked.Decrement(ref _connections); return Task.CompletedTask; };
        _server.InterceptingPublishAsync += InterceptPublish;
        _server.InterceptingSubscriptionAsync += InterceptSubscription;
        _server.ApplicationMessageEnqueuedOrDroppedAsync += e =>
        {
            if (e.IsDropped)
            {
                rejections.Count(e.SenderClientId ?? "broker", "dropped-by-broker");
                logger.LogError("The broker dropped a message from {Sender} for {Receiver}: its queue is full", e.SenderClientId, e.ReceiverClientId);
            }
            return Task.CompletedTask;
        };
        _server.QueuedApplicationMessageOverwrittenAsync += e =>
        {
            rejections.Count("broker", "overwritten-in-queue");
            logger.LogError("The broker overwrote a queued message for {Receiver}: its queue is full", e.ReceiverClientId);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        logger.LogInformation("Embedded MQTT broker listening on {Host}:{Port}", options.Host, Port);
        if (options.Tls.Enabled)
        {
            // MQTTnet writes the port it was given by the system back into the options (0 in tests).
            TlsPort = serverOptions.TlsEndpointOptions.Port;
            logger.LogInformation("Embedded MQTT broker's TLS endpoint for meters on {Address}:{Port}, client certificates {Mode}",
                options.Tls.BindAddress, TlsPort, options.Tls.ClientCertificates);
        }
        if (options.PlainBeyondLoopback)
        {
            logger.LogWarning("Mqtt:PlainBeyondLoopback is on: meters may connect without TLS from other machines, so their passwords and commands cross the network in the clear");
        }
    }

    private static MqttServerOptionsBuilder WithTls(MqttServerOptionsBuilder builder, MeterTlsOptions tls)
    {
        var (v4, v6) = PlainLink.Bindings(IPAddress.Parse(tls.BindAddress));
        builder = builder
            .WithEncryptedEndpoint()
            .WithEncryptedEndpointBoundIPAddress(v4)
            .WithEncryptedEndpointBoundIPV6Address(v6)
            .WithEncryptedEndpointPort(tls.Port)
            .WithEncryptionCertificate(MeterTlsCertificates.LoadServerCertificate(tls))
            .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13);
        if (tls.ClientCertificates != ClientCertificateMode.None)
        {
            // Asked for in the handshake; whether one is needed is the check's answer (Optional accepts none).
            builder = builder.WithClientCertificate(MeterTlsCertificates.ClientCheck(MeterTlsCertificates.LoadClientCa(tls.ClientCaPath!), tls.ClientCertificates));
        }
        return builder;
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        if (!PlainLink.Allows(e.RemoteEndPoint, e.IsSecureConnection, options.PlainBeyondLoopback))
        {
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            rejections.Count(e.UserName ?? e.ClientId ?? "unknown", "plain-beyond-loopback");
            return Task.CompletedTask;
        }
        if (e.ClientCertificate is { } certificate)
        {
            return ValidateCertificateConnection(e, MeterTlsCertificates.MeterNumberOf(certificate));
        }
        if (e.IsSecureConnection && options.Tls.ClientCertificates == ClientCertificateMode.Required)
        {
            // The handshake already refused it; said again here so that no path admits a meter without one.
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            rejections.Count(e.UserName ?? e.ClientId ?? "unknown", "no-certificate");
            return Task.CompletedTask;
        }
        var service = e.UserName == options.ServiceUser;
        var ok = !string.IsNullOrEmpty(e.ClientId) && (service
            ? credentials.IsServicePassword(e.Password)
            // A meter's client id is its number, so the ACL can tell who publishes without trusting payloads.
            : e.UserName is { Length: > 0 } user && user == e.ClientId && !_serviceClients.ContainsKey(user) && credentials.IsMeterPassword(user, e.Password));
        if (!ok)
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            rejections.Count(e.UserName ?? e.ClientId, "bad-credentials");
            return Task.CompletedTask;
        }
        if (service)
        {
            _serviceClients[e.ClientId] = true;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A client certificate that passed the handshake's check (issued by the configured CA) stands for the meter its
    /// CN names, in place of the password: the client id must be that number, and a user name, if given, too.
    /// </summary>
    private Task ValidateCertificateConnection(ValidatingConnectionEventArgs e, string? meterNumber)
    {
        var ok = meterNumber is not null && e.ClientId == meterNumber && meterNumber != options.ServiceUser
            && (string.IsNullOrEmpty(e.UserName) || e.UserName == meterNumber) && !_serviceClients.ContainsKey(meterNumber);
        if (!ok)
        {
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            rejections.Count(e.ClientId ?? e.UserName ?? "unknown", "certificate-mismatch");
            logger.LogWarning("Refused a TLS connection whose certificate names {Certificate} but which claims {ClientId}", meterNumber, e.ClientId);
        }
        return Task.CompletedTask;
    }

    private Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId) || _serviceClients.ContainsKey(e.ClientId))
        {
            // The head-end, or the broker itself (no connection): allowed.
            return Task.CompletedTask;
        }
        // Any other publisher is the meter its client id names (a last will too: it was the meter's connection).
        var user = e.ClientId;
        if (!limits.AdmitMessage(user))
        {
            // First, before anything else is looked at: a flood is refused as cheaply as possible.
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            return Task.CompletedTask;
        }
        var topic = e.ApplicationMessage.Topic;
        if (!Topics.TryParse(topic, out var meter, out var kind) || meter != user || !Topics.Up.Contains(kind))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            rejections.Count(user, "foreign-topic");
            logger.LogWarning("Refused a publish from meter {Meter} to {Topic}", user, topic);
            return Task.CompletedTask;
        }
        if (e.ApplicationMessage.Payload.Length > options.MaxPayloadBytes)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            rejections.Count(user, "too-large");
        }
        return Task.CompletedTask;
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (_serviceClients.ContainsKey(e.ClientId))
        {
            return Task.CompletedTask;
        }
        var user = e.ClientId;
        if (e.TopicFilter.Topic != Topics.For(user, Topics.Commands))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            rejections.Count(user, "foreign-subscription");
        }
        return Task.CompletedTask;
    }

    private int _connections;

    /// <summary>Clients connected now, the head-end's own included, as counted from the broker's events (metrics read it).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Clients connected to the broker now, the head-end's own included (benchmarks read it).</summary>
    public async Task<int> ConnectedClientCountAsync()
    {
        if (_server is null)
        {
            return 0;
        }
        return (await _server.GetClientsAsync()).Count;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(CancellationToken.None);
            _server.Dispose();
            _server = null;
        }
    }

    private static int FreePort(string host)
    {
        using var listener = new TcpListener(IPAddress.Parse(host), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
