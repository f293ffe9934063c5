using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Protocol;

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
/// </summary>
public sealed class EmbeddedBroker(MqttOptions options, MeterCredentials credentials, RejectionCounter rejections, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    // Client ids that logged in with the service credentials. Added, never removed: removal on disconnect raced a
    // takeover and left the new connection unchecked. A meter can never log in under one of these ids (its client id
    // must be its number and its password that number's), so keeping them grants nothing to anyone else.
    private readonly ConcurrentDictionary<string, bool> _serviceClients = new(StringComparer.Ordinal);
    private MqttServer? _server;

    /// <summary>The port actually listened on (differs from the option when that is 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Port = options.Port != 0 ? options.Port : FreePort(options.Host);
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(options.Host))
            .WithDefaultEndpointPort(Port)
            .WithPersistentSessions()
            // The head-end's session receives every meter's messages; when it falls behind, the broker queues for
            // it. MQTTnet's default (1,000 messages, then drop the oldest) would silently lose readings the meters
            // were already told were delivered, so the queue is deep and anything dropped all the same is counted.
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnection;
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
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
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

    private Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId) || _serviceClients.ContainsKey(e.ClientId))
        {
            // The head-end, or the broker itself (no connection): allowed.
            return Task.CompletedTask;
        }
        // Any other publisher is the meter its client id names (a last will too: it was the meter's connection).
        var user = e.ClientId;
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
