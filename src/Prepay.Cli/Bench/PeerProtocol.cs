using System.Text.Json;

namespace Prepay.Cli.Bench;

/// <summary>What a peer process does: hold meters' MQTT connections, hold plain TCP connections, or accept them.</summary>
public enum PeerMode
{
    MqttMeters,
    TcpConnect,
    TcpListen,
}

/// <summary>
/// The one line a peer process reads first on stdin. The MQTT secret travels here, never on the command line or in
/// the environment, where other users of the machine could read it.
/// </summary>
public sealed record PeerPlan(PeerMode Mode, int Port, int Count, long FirstMeter, int Parallel, int HeartbeatMs, long StartUnixMs, string? Secret = null);

/// <summary>Connections so far, seen from the peer: while connecting (<c>progress</c>) and once all were tried (<c>ready</c>).</summary>
public sealed record PeerProgress(int Connected, int Failed, double Seconds, string? LastError);

/// <summary>
/// The peer's connections while held (<c>status</c>) and when told to stop (<c>done</c>, counted before closing).
/// <see cref="CommandsReceived"/> counts distinct command ids (a command the head-end sent again counts once, in
/// <see cref="CommandArrivals"/> every time); <see cref="LastCommandAt"/> is the <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp of the last new one, on Linux the machine's monotonic clock, which the parent's timestamps share.
/// <see cref="HeartbeatAckMs"/>: publish to the broker's PUBACK, p50, p99 and max, in milliseconds.
/// </summary>
public sealed record PeerStatus(int Up, long HeartbeatsSent, long HeartbeatsFailed, long CommandsReceived, long AcksSent, long Disconnections, string? LastError)
{
    public long CommandArrivals { get; init; }

    public long LastCommandAt { get; init; }

    /// <summary>The bench's bare reference messages received (<see cref="BareReference"/>), and the timestamp of the last.</summary>
    public long BareReceived { get; init; }

    public long LastBareAt { get; init; }

    public double[]? HeartbeatAckMs { get; init; }
}

/// <summary>
/// The reference for commands' delivery: a bare QoS 1 message to a meter's command topic, published by the bench
/// through the same broker to the same meters, carrying nothing the head-end makes (no queue, no signature, no
/// acknowledgement). The meters' peer counts them apart by this payload.
/// </summary>
public static class BareReference
{
    public static ReadOnlySpan<byte> Payload => "{\"bare\":true}"u8;
}

/// <summary>
/// The peer's side of the conversation, one line per message: <c>kind</c>, a space, and the message as JSON. The
/// parent writes the plan, then <c>stop</c>; the peer writes <c>listening</c>, <c>progress</c>, <c>ready</c>,
/// <c>status</c> and <c>done</c>.
/// </summary>
public static class PeerProtocol
{
    public const string Listening = "listening";
    public const string Progress = "progress";
    public const string Ready = "ready";
    public const string Status = "status";
    public const string Done = "done";
    public const string Stop = "stop";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Line<T>(string kind, T message) => kind + " " + JsonSerializer.Serialize(message, Json);

    /// <summary>Splits a line into its kind and its JSON; false for anything else (a stray line from the runtime).</summary>
    public static bool TryRead(string? line, out string kind, out string json)
    {
        kind = json = "";
        if (string.IsNullOrEmpty(line))
        {
            return false;
        }
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == line.Length - 1)
        {
            return false;
        }
        kind = line[..space];
        json = line[(space + 1)..];
        return json[0] is '{' or '"' || char.IsAsciiDigit(json[0]);
    }

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException("empty peer message");
}
