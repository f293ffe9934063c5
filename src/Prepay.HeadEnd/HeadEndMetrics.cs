using System.Diagnostics.Metrics;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;

namespace Prepay.HeadEnd;

/// <summary>
/// What the head-end tells a node's metrics (meter <c>Prepay.HeadEnd</c>, exported at <c>/metrics</c>): readings
/// accepted, written and repeated, and how many wait for the batch writer (a backlog that grows means the database
/// cannot keep up with the fleet); payloads refused by reason (a jump in one reason is a broken firmware or an
/// attack); the MQTT link (the head-end's own connection, and the embedded broker's clients). Observed from the
/// counters the head-end keeps anyway, so recording costs the hot path nothing.
/// </summary>
public sealed class HeadEndMetrics
{
    public const string MeterName = "Prepay.HeadEnd";

    public HeadEndMetrics(IMeterFactory meters, ReadingIngestor readings, RejectionCounter rejections, MqttHeadEnd? headEnd = null, EmbeddedBroker? broker = null,
        StatusAndAckWriter? statuses = null)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("prepay.readings.accepted", () => readings.Accepted, "{reading}",
            "Interval readings accepted from meters and queued for the batch writer.");
        meter.CreateObservableCounter("prepay.readings.written", () => readings.Totals.Written, "{reading}",
            "Interval readings committed to the database.");
        meter.CreateObservableCounter("prepay.readings.duplicates", () => readings.Totals.Duplicates, "{reading}",
            "Interval readings received again and skipped (a meter's retry after a lost acknowledgement).");
        meter.CreateObservableCounter("prepay.readings.estimated", () => readings.Estimated, "{reading}",
            "Interval readings estimated for gaps (flagged as estimated, replaced when the real values arrive).");
        meter.CreateObservableGauge("prepay.readings.backlog", () => Backlog(readings), "{reading}",
            "Interval readings accepted and not yet committed.");
        meter.CreateObservableCounter("prepay.payloads.refused",
            () => rejections.TotalsByReason.Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("reason", r.Key))),
            "{payload}", "Meter payloads or items refused, by reason (docs/mqtt.md lists them).");
        if (statuses is not null)
        {
            meter.CreateObservableGauge("prepay.statuses.waiting", () => statuses.Waiting, "{message}",
                "Meters' statuses and acknowledgements queued for the batch writer, their messages not yet acknowledged to the broker.");
            meter.CreateObservableCounter("prepay.statuses.write_retries", () => statuses.Retries, "{batch}",
                "Batches of statuses and acknowledgements written again because the database was unavailable.");
        }
        if (headEnd is not null)
        {
            meter.CreateObservableGauge("prepay.mqtt.headend_connected", () => headEnd.BrokerConnected ? 1 : 0, "{connection}",
                "1 while this node's head-end is connected to its MQTT broker.");
            meter.CreateObservableGauge("prepay.mqtt.lane_depth", () => headEnd.LaneDepth, "{message}",
                "Meters' messages waiting in this node's ingest lanes (Mqtt:IngestLanes).");
        }
        if (broker is not null)
        {
            meter.CreateObservableGauge("prepay.mqtt.connections", () => broker.Connections, "{connection}",
                "Clients connected to this node's embedded broker, its own head-end included.");
        }
    }

    private static long Backlog(ReadingIngestor readings) => Math.Max(0, readings.Accepted - readings.Settled);
}
