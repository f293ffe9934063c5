using System.Diagnostics.Metrics;

namespace Prepay.Vending.Vends;

/// <summary>
/// What vending tells a running node's metrics (meter <c>Prepay.Vending</c>, exported by the server at
/// <c>/metrics</c>): vends by outcome and how long each took, retries of a rolled-back transaction included. Names
/// follow the OpenTelemetry semantic conventions (dotted, the unit in the instrument, not in the name). Made through
/// the host's <see cref="IMeterFactory"/>, so each server in a process counts its own vends. With group commit on
/// (<see cref="VendingOptions.GroupCommitMaxVends"/>), the batches committed and the vends waiting for a writer too.
/// </summary>
public sealed class VendingMetrics
{
    public const string MeterName = "Prepay.Vending";

    private readonly Counter<long> _vends;
    private readonly Histogram<double> _duration;

    public VendingMetrics(IMeterFactory meters, VendBatches? batches = null)
    {
        var meter = meters.Create(MeterName);
        if (batches is { Enabled: true })
        {
            meter.CreateObservableCounter("prepay.vend.batches", () => batches.BatchesCommitted, "{batch}",
                "Batches of vends committed together (group commit).");
            meter.CreateObservableGauge("prepay.vend.batch_waiting", () => batches.Waiting + batches.Writing, "{vend}",
                "Vends waiting for a group-commit writer or in the batch being written.");
        }
        _vends = meter.CreateCounter<long>("prepay.vends", "{vend}",
            "Vend requests answered, by outcome: created, replayed (an idempotent retry), or the refusal's kind.");
        _duration = meter.CreateHistogram<double>("prepay.vend.duration", "s",
            "Time to answer a vend request, database transaction and its retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    public void Record(VendOutcome outcome, TimeSpan took)
    {
        var kind = new KeyValuePair<string, object?>("outcome", OutcomeName(outcome));
        _vends.Add(1, kind);
        _duration.Record(took.TotalSeconds, kind);
    }

    public static string OutcomeName(VendOutcome outcome) => outcome switch
    {
        VendOutcome.Created => "created",
        VendOutcome.Replayed => "replayed",
        VendOutcome.Invalid => "invalid",
        VendOutcome.NotFound => "not-found",
        VendOutcome.KeyReused => "key-reused",
        VendOutcome.Unprocessable => "unprocessable",
        VendOutcome.Conflict => "conflict",
        _ => "other",
    };
}
