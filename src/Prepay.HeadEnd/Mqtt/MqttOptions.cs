using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt.Tls;

namespace Prepay.HeadEnd.Mqtt;

/// <summary>
/// How the head-end reaches meters, bound from the <c>Mqtt</c> section. By default an embedded broker on loopback;
/// set <see cref="Embedded"/> to false and <see cref="Host"/> to use Mosquitto or any MQTT 3.1.1/5 broker.
/// </summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>Run the broker inside this process (default). Off for an external broker.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Whether to connect to meters at all; off for a server that only vends.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the embedded broker listens on (loopback by default), or the external broker's host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port; 0 for the embedded broker picks a free one (tests). Default 1883.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// The head-end's own connection to an external broker goes over TLS (<c>Mqtt:ExternalBrokerTls</c>; it was
    /// called <c>Mqtt:Tls</c>, which now names the meters' TLS endpoint of the embedded broker).
    /// </summary>
    public bool ExternalBrokerTls { get; set; }

    /// <summary>The embedded broker's TLS endpoint for meters (<c>Mqtt:Tls</c>); off until a certificate is configured.</summary>
    public MeterTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Accept plain (unencrypted) MQTT from addresses other than loopback. Off by default: beyond loopback meters
    /// connect over TLS. When on, the server logs a warning at start.
    /// </summary>
    public bool PlainBeyondLoopback { get; set; }

    /// <summary>Per-meter message and event rates (<c>Mqtt:Limits</c>).</summary>
    public MeterLimitOptions Limits { get; set; } = new();

    /// <summary>The head-end's own user name on the broker.</summary>
    public string ServiceUser { get; set; } = "prepay-headend";

    /// <summary>
    /// The secret meters' passwords are derived from (HMAC per meter number) and the service user's password.
    /// From configuration or the environment (<c>PREPAY_Mqtt__CredentialSecret</c>); when empty, a random one is kept
    /// in the data directory (mode 600). Never logged.
    /// </summary>
    public string? CredentialSecret { get; set; }

    /// <summary>
    /// The master secret each meter's command key is derived from (<see cref="Commands.CommandKeys"/>); kept apart
    /// from <see cref="CredentialSecret"/> so that the broker's secrets sign nothing. From configuration or the
    /// environment (<c>PREPAY_Mqtt__CommandSecret</c>); when empty, a random one is kept in the data directory
    /// (<c>command-secret</c>, mode 600). Never logged.
    /// </summary>
    public string? CommandSecret { get; set; }

    /// <summary>Largest payload accepted from a meter. Default 64 KiB.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Most readings or events in one message. Default 1000.</summary>
    public int MaxItemsPerMessage { get; set; } = 1000;

    /// <summary>
    /// How many messages the embedded broker queues for one client (above all the head-end) before it must drop
    /// one. Default 200,000; anything dropped is logged and counted as <c>dropped-by-broker</c>.
    /// </summary>
    public int MaxPendingMessagesPerClient { get; set; } = 200_000;

    /// <summary>
    /// How many lanes the head-end handles meters' messages in side by side (<c>Mqtt:IngestLanes</c>, 1 to 256,
    /// default 8). A meter's messages always go to the same lane (by its meter number), so they are handled in the
    /// order they arrived, while other meters' messages proceed in the other lanes: 10,000 meters coming online do not
    /// hold one meter's command acknowledgement back behind their statuses for long. Each lane queues at most
    /// <see cref="IngestLaneCapacity"/> messages; a full lane makes the receiver wait (the broker holds the rest), it
    /// never drops one. More lanes than the database has connections to spare only queue there instead.
    /// </summary>
    public int IngestLanes { get; set; } = 8;

    /// <summary>Messages one ingest lane holds before the receiver waits for room (backpressure, nothing dropped).</summary>
    public const int IngestLaneCapacity = 1000;

    /// <summary>A meter not heard from for this long is marked offline. Default 5 minutes.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the command dispatcher looks for due commands. Default 1 s.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A command not acknowledged is sent again after 2^attempts seconds, at most this. Default 5 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Subscribe through a shared subscription group (MQTT 5 <c>$share/group/…</c>), so that several servers split
    /// the meters' messages instead of each getting all of them. Needs a broker that supports it (Mosquitto does).
    /// </summary>
    public string? SharedSubscriptionGroup { get; set; }

    /// <summary>
    /// The head-end's MQTT client id, stable across restarts so its persistent session (and what the broker holds for
    /// it) resumes. Default: the service user and the host name. Several nodes on one host and broker each need their own.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The client id the head-end connects with (<see cref="ClientId"/> or its default).</summary>
    public string HeadEndClientId() =>
        ClientId is { Length: > 0 } id ? id : $"{ServiceUser}-{Environment.MachineName.ToLowerInvariant()}";

    public string? Validate() =>
        Port is < 0 or > 65535 ? "Mqtt:Port must be 0 to 65535"
        : MaxPayloadBytes is < 1024 or > 16 * 1024 * 1024 ? "Mqtt:MaxPayloadBytes must be 1 KiB to 16 MiB"
        : MaxItemsPerMessage is < 1 or > 100_000 ? "Mqtt:MaxItemsPerMessage must be 1 to 100000"
        : ClientId is { Length: > 128 } || (ClientId is { } id && id.Any(char.IsWhiteSpace)) ? "Mqtt:ClientId must be at most 128 characters, without spaces"
        : IngestLanes is < 1 or > 256 ? "Mqtt:IngestLanes must be 1 to 256"
        : MaxPendingMessagesPerClient is < 1_000 or > 10_000_000 ? "Mqtt:MaxPendingMessagesPerClient must be 1000 to 10000000"
        : Tls.Validate() ?? Limits.Validate();

    /// <summary>
    /// The <c>Mqtt</c> section bound, refusing the old scalar <c>Mqtt:Tls=true</c>: bound as it is, it would be
    /// ignored silently and the head-end would talk to its external broker in the clear.
    /// </summary>
    public static MqttOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        if (section.GetSection("Tls").Value is { Length: > 0 } old)
        {
            throw new InvalidOperationException(
                $"Mqtt:Tls={old} is no longer a switch: TLS to an external broker is Mqtt:ExternalBrokerTls, and Mqtt:Tls is the section of the embedded broker's TLS endpoint for meters (docs/mqtt.md)");
        }
        return Microsoft.Extensions.Configuration.ConfigurationBinder.Get<MqttOptions>(section) ?? new MqttOptions();
    }
}
