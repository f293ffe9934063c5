using System.Text.Json;

namespace Prepay.Cli.Bench;

/// <summary><c>prepay bench connections</c>' figures, as a table or one JSON object, with the ratios to the TCP reference.</summary>
public sealed record ConnectionsReport(ConnectionsSettings Settings, MqttConnectionsResult? Mqtt, TcpReferenceResult? Tcp, IReadOnlyList<string> Failures)
{
    /// <summary>The product's aim: this many meters' connections held on one machine.</summary>
    public const int Aim = 10_000;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>MQTT connections per second ÷ plain TCP connections per second.</summary>
    public double? ConnectRateRatio => Mqtt is { } m && Tcp is { } t ? Percentiles.Ratio(m.ConnectRate, t.ConnectRate) : null;

    /// <summary>Broker memory per MQTT connection ÷ listener memory per TCP connection.</summary>
    public double? MemoryRatio => Mqtt?.BytesPerConnection is { } m && Tcp?.BytesPerConnection is { } t ? Percentiles.Ratio(m, t) : null;

    /// <summary>What the run must show, each as a sentence; empty when it passed.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>(Failures);
            if (Mqtt is not { } m)
            {
                problems.Add("the MQTT part did not run to its end");
                return problems;
            }
            var n = Settings.Meters;
            if (m.Established != n)
            {
                problems.Add($"{m.Established:N0} of {n:N0} meters connected ({m.Failed:N0} failed)");
            }
            if (m.UpAtEnd != n || m.BrokerUpAtEnd != n)
            {
                problems.Add($"at the end of the hold {m.UpAtEnd:N0} meters were connected by their own account and {m.BrokerUpAtEnd:N0} by the broker's, of {n:N0}");
            }
            if (m.CommandsDelivered < m.CommandsSent)
            {
                problems.Add($"{m.CommandsDelivered} of {m.CommandsSent} commands reached their meters");
            }
            if (m.HeartbeatsFailed > 0 || m.Disconnections > 0)
            {
                problems.Add($"{m.HeartbeatsFailed:N0} heartbeats failed and {m.Disconnections:N0} connections dropped while held");
            }
            if (Tcp is { } t && t.Established != n)
            {
                problems.Add($"reference: {t.Established:N0} of {n:N0} plain TCP connections ({t.Failed:N0} failed)");
            }
            return problems;
        }
    }

    public bool Passed => Problems.Count == 0;

    public void WriteTable(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var s = Settings;
        o.WriteLine();
        o.WriteLine($"prepay bench connections: {s.Meters:N0} meters on 127.0.0.1, {ConnectionsSettings.Parallel} connecting at a time, held {BenchDuration.Format(s.Hold)} with a status heartbeat every {BenchDuration.Format(s.Heartbeat)}; {Environment.ProcessorCount} cores");
        o.WriteLine();
        o.WriteLine($"{"",-28} {"connected",10} {"failed",7} {"seconds",8} {"per s",8} {"up at end",10} {"server KiB/conn",16} {"client KiB/conn",16}");
        if (Mqtt is { } m)
        {
            o.WriteLine($"{"MQTT, embedded broker",-28} {m.Established,10:N0} {m.Failed,7:N0} {m.ConnectSeconds,8:0.00} {m.ConnectRate,8:N0} {m.BrokerUpAtEnd,10:N0} {Kib(m.BytesPerConnection),16} {Kib(m.ClientRss, m.Established),16}");
        }
        if (Tcp is { } t)
        {
            o.WriteLine($"{"plain TCP (reference)",-28} {t.Established,10:N0} {t.Failed,7:N0} {t.ConnectSeconds,8:0.00} {t.ConnectRate,8:N0} {t.UpAtEnd,10:N0} {Kib(t.BytesPerConnection),16} {Kib(t.ClientRss, t.Established),16}");
        }
        o.WriteLine("(server KiB/conn: growth of the broker's process, which is the whole Prepay server, or of the listener's, per connection; client: the connecting process's memory per connection)");
        o.WriteLine();
        if (Mqtt is { } mq)
        {
            o.WriteLine($"broker process RSS: {ConnectionsBench.Mib(mq.RssBefore)} before, {ConnectionsBench.Mib(mq.RssConnected)} connected, {ConnectionsBench.Mib(mq.RssEnd)} at the end of the hold; managed heap {Kib(mq.ManagedBytesPerConnection)} KiB per connection");
            var ack = mq.HeartbeatAckMs.Count == 3 ? $"; publish → PUBACK p50 {mq.HeartbeatAckMs[0]:0} ms, p99 {mq.HeartbeatAckMs[1]:0} ms, max {mq.HeartbeatAckMs[2]:0} ms" : "";
            o.WriteLine($"while held ({mq.HoldSeconds:0} s): {mq.HeartbeatsSent:N0} heartbeats acknowledged by the broker ({mq.HeartbeatsPerSecond:N0}/s, {s.Meters / s.Heartbeat.TotalSeconds:N0}/s offered), {mq.HeartbeatsFailed:N0} failed{ack}; {mq.Disconnections:N0} connections dropped");
            o.WriteLine($"head-end: a status younger than two heartbeats stored for {mq.StatusFresh:N0} of {s.Meters:N0} meters");
            o.WriteLine($"commands: {mq.CommandsDelivered} of {mq.CommandsSent} delivered{(mq.DeliverySeconds is { } d ? $", the last {d:0.00} s after they were queued" : "")} ({mq.CommandArrivals} arrivals counting the head-end's resends), {mq.CommandsAcknowledged} recorded as acknowledged by the head-end at the end of the hold");
            o.WriteLine($"commands delivered per second: {Rate(mq.CommandsPerSecond)}; bare QoS 1 messages to the same meters through the same broker (reference): {mq.BareDelivered} of {mq.CommandsSent} delivered, {Rate(mq.BarePerSecond)}{(mq.CommandsPerSecond is { } c && mq.BarePerSecond is { } b ? $"; ratio {c / b:0.000}" : "")}");
            if (mq.LastError is { } e)
            {
                o.WriteLine($"last error: {e}");
            }
        }
        if (ConnectRateRatio is { } cr)
        {
            o.WriteLine($"MQTT connects/s ÷ plain TCP connects/s = {cr:0.000}");
        }
        if (MemoryRatio is { } mr)
        {
            o.WriteLine($"broker memory per connection ÷ plain listener's = {mr:0.0}");
        }
        if (Mqtt is { } aim)
        {
            o.WriteLine($"aim {Aim:N0} connections held: {(aim.BrokerUpAtEnd >= Aim ? "met" : "not met")} ({aim.BrokerUpAtEnd:N0} at the end of the hold)");
        }
        foreach (var p in Problems)
        {
            o.WriteLine($"FAIL {p}");
        }
        o.WriteLine(Passed ? "checks passed: every meter connected, stayed connected and got its command" : "checks FAILED");
    }

    public void WriteJson(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var doc = new
        {
            meters = Settings.Meters,
            holdSeconds = Settings.Hold.TotalSeconds,
            heartbeatSeconds = Settings.Heartbeat.TotalSeconds,
            parallel = ConnectionsSettings.Parallel,
            cores = Environment.ProcessorCount,
            mqtt = Mqtt is { } m ? new
            {
                established = m.Established,
                failed = m.Failed,
                connectSeconds = Math.Round(m.ConnectSeconds, 3),
                connectsPerSecond = Math.Round(m.ConnectRate, 1),
                upAtEnd = m.UpAtEnd,
                brokerUpAtEnd = m.BrokerUpAtEnd,
                disconnections = m.Disconnections,
                brokerRssBefore = m.RssBefore,
                brokerRssConnected = m.RssConnected,
                brokerRssEnd = m.RssEnd,
                brokerBytesPerConnection = Round(m.BytesPerConnection),
                managedBytesPerConnection = Round(m.ManagedBytesPerConnection),
                clientRss = m.ClientRss,
                heartbeatsSent = m.HeartbeatsSent,
                heartbeatsFailed = m.HeartbeatsFailed,
                heartbeatsPerSecond = Math.Round(m.HeartbeatsPerSecond, 1),
                statusFresh = m.StatusFresh,
                commandsSent = m.CommandsSent,
                commandsDelivered = m.CommandsDelivered,
                commandArrivals = m.CommandArrivals,
                commandsAcknowledgedByMeters = m.AcksSent,
                heartbeatAckP50Ms = m.HeartbeatAckMs.Count == 3 ? Math.Round(m.HeartbeatAckMs[0], 1) : (double?)null,
                heartbeatAckP99Ms = m.HeartbeatAckMs.Count == 3 ? Math.Round(m.HeartbeatAckMs[1], 1) : (double?)null,
                heartbeatAckMaxMs = m.HeartbeatAckMs.Count == 3 ? Math.Round(m.HeartbeatAckMs[2], 1) : (double?)null,
                commandsAcknowledgedRecorded = m.CommandsAcknowledged,
                deliverySeconds = m.DeliverySeconds is { } d ? Math.Round(d, 3) : (double?)null,
                commandsPerSecond = m.CommandsPerSecond is { } cps ? Math.Round(cps, 1) : (double?)null,
                bareDelivered = m.BareDelivered,
                barePerSecond = m.BarePerSecond is { } bps ? Math.Round(bps, 1) : (double?)null,
                lastError = m.LastError,
            } : null,
            tcp = Tcp is { } t ? new
            {
                established = t.Established,
                failed = t.Failed,
                connectSeconds = Math.Round(t.ConnectSeconds, 3),
                connectsPerSecond = Math.Round(t.ConnectRate, 1),
                upAtEnd = t.UpAtEnd,
                listenerRssBefore = t.ListenerRssBefore,
                listenerRssConnected = t.ListenerRssConnected,
                listenerBytesPerConnection = Round(t.BytesPerConnection),
                clientRss = t.ClientRss,
                lastError = t.LastError,
            } : null,
            connectRateRatio = Round(ConnectRateRatio, 3),
            memoryRatio = Round(MemoryRatio, 2),
            aim = Aim,
            aimMet = Mqtt is { } a ? a.BrokerUpAtEnd >= Aim : (bool?)null,
            problems = Problems,
            passed = Passed,
        };
        o.WriteLine(JsonSerializer.Serialize(doc, Json));
    }

    private static string Kib(double? bytes) => bytes is { } b ? $"{b / 1024:0.0}" : "n/a";

    private static string Kib(long? total, int connections) => total is { } t && connections > 0 ? $"{t / 1024.0 / connections:0.0}" : "n/a";

    private static double? Round(double? v, int digits = 0) => v is { } x ? Math.Round(x, digits) : null;

    private static string Rate(double? perSecond) => perSecond is { } r ? $"{r:N1}/s" : "n/a (not all arrived)";
}
