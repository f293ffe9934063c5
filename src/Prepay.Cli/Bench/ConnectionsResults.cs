namespace Prepay.Cli.Bench;

/// <summary>The reference: plain TCP connections to a plain listener in a process of its own.</summary>
public sealed record TcpReferenceResult(int Established, int Failed, double ConnectSeconds, int UpAtEnd, long? ListenerRssBefore, long? ListenerRssConnected, long? ClientRss, string? LastError)
{
    public double ConnectRate => ConnectSeconds > 0 ? Established / ConnectSeconds : 0;

    public double? BytesPerConnection => ConnectionsMath.PerConnection(ListenerRssBefore, ListenerRssConnected, Established);
}

/// <summary>Meters' MQTT connections to Prepay's embedded broker, in the server's process, and what they did while held.</summary>
public sealed record MqttConnectionsResult(
    int Established, int Failed, double ConnectSeconds, int UpAtEnd, int BrokerUpAtEnd, long Disconnections,
    long? RssBefore, long? RssConnected, long? RssEnd, long ManagedBefore, long ManagedConnected, long? ClientRss,
    long HeartbeatsSent, long HeartbeatsFailed, double HoldSeconds,
    int CommandsSent, long CommandsDelivered, long AcksSent, int CommandsAcknowledged, double? DeliverySeconds,
    int StatusFresh, string? LastError)
{
    /// <summary>Commands that reached a meter, counting each time the head-end sent one again.</summary>
    public long CommandArrivals { get; init; }

    /// <summary>Bare reference messages delivered to the sampled meters and the seconds from publishing them to the last arrival.</summary>
    public long BareDelivered { get; init; }

    public double? BareSeconds { get; init; }

    /// <summary>Commands delivered per second, from queueing to the last arrival; null unless all arrived.</summary>
    public double? CommandsPerSecond => DeliverySeconds is > 0 && CommandsDelivered >= CommandsSent ? CommandsSent / DeliverySeconds : null;

    /// <summary>Bare messages delivered per second, from publishing to the last arrival; null unless all arrived.</summary>
    public double? BarePerSecond => BareSeconds is > 0 && BareDelivered >= CommandsSent ? CommandsSent / BareSeconds : null;

    /// <summary>A heartbeat's publish to the broker's PUBACK: p50, p99 and max in milliseconds.</summary>
    public IReadOnlyList<double> HeartbeatAckMs { get; init; } = [];

    public double ConnectRate => ConnectSeconds > 0 ? Established / ConnectSeconds : 0;

    public double? BytesPerConnection => ConnectionsMath.PerConnection(RssBefore, RssConnected, Established);

    public double? ManagedBytesPerConnection => ConnectionsMath.PerConnection(ManagedBefore, ManagedConnected, Established);

    public double HeartbeatsPerSecond => HoldSeconds > 0 ? HeartbeatsSent / HoldSeconds : 0;
}

public static class ConnectionsMath
{
    /// <summary>Memory grown per connection, or null when either reading is missing or nothing connected.</summary>
    public static double? PerConnection(long? before, long? after, int connections) =>
        before is { } b && after is { } a && connections > 0 ? (a - b) / (double)connections : null;

    /// <summary><paramref name="count"/> indices spread evenly over 0 … <paramref name="total"/> − 1, first and distinct.</summary>
    public static IReadOnlyList<int> Sample(int total, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        count = Math.Min(count, total);
        return Enumerable.Range(0, count).Select(k => (int)((long)k * total / count)).ToList();
    }
}
