using System.Globalization;
using System.Text;
using Prepay.RevenueProtection.Findings;

namespace Prepay.RevenueProtection.Tests.Fleets;

/// <summary>
/// Precision and recall of each kind of finding over fleets: a finding is a true positive when the truth holds its key
/// (<see cref="Truth.Key"/>), a false positive otherwise; an injected fault no finding names is a false negative.
/// </summary>
internal sealed class DetectionScore
{
    private readonly Dictionary<FindingKind, (int Tp, int Fp, int Fn)> _counts = [];

    public List<string> Misses { get; } = [];

    public static IReadOnlyList<FindingKind> Measured { get; } =
    [
        FindingKind.Tamper, FindingKind.BypassSuspected, FindingKind.ConsumptionWhileDisconnected, FindingKind.PersistentOverload,
        FindingKind.AbnormalVoltage, FindingKind.StoppedReporting, FindingKind.SiteOutage, FindingKind.CreditNotRegistered,
        FindingKind.TokenNeverEntered, FindingKind.UnexplainedCredit, FindingKind.TokenOutOfSequence,
    ];

    public static DetectionScore Measure(IReadOnlyList<FaultFleet> fleets, DetectionOptions? options = null)
    {
        var score = new DetectionScore();
        foreach (var fleet in fleets)
        {
            var found = fleet.Sites.SelectMany(s => RevenueDetectors.Detect(s, fleet.Window, options)).Where(f => Measured.Contains(f.Kind)).ToList();
            var keys = found.Select(Truth.Key).ToHashSet();
            foreach (var f in found)
            {
                var hit = fleet.Truth.Items.Contains(Truth.Key(f));
                score.Add(f.Kind, hit ? 1 : 0, hit ? 0 : 1, 0);
                if (!hit)
                {
                    score.Misses.Add($"false positive: {f.Kind} {f.Meter?.Value ?? f.Site}: {f.Summary}");
                }
            }
            foreach (var t in fleet.Truth.Items.Where(t => !keys.Contains(t)))
            {
                score.Add(t.Kind, 0, 0, 1);
                score.Misses.Add($"missed: {t.Kind} {t.Where} {t.Record}");
            }
        }
        return score;
    }

    public double Precision(FindingKind kind) => _counts.TryGetValue(kind, out var c) && c.Tp + c.Fp > 0 ? (double)c.Tp / (c.Tp + c.Fp) : 1;

    public double Recall(FindingKind kind) => _counts.TryGetValue(kind, out var c) && c.Tp + c.Fn > 0 ? (double)c.Tp / (c.Tp + c.Fn) : 1;

    public int Injected(FindingKind kind) => _counts.TryGetValue(kind, out var c) ? c.Tp + c.Fn : 0;

    public string Table()
    {
        var text = new StringBuilder("kind                           injected  found  true+  false+  missed  precision  recall\n");
        foreach (var kind in Measured)
        {
            var c = _counts.GetValueOrDefault(kind);
            text.AppendLine(CultureInfo.InvariantCulture, $"{kind,-30} {c.Tp + c.Fn,8} {c.Tp + c.Fp,6} {c.Tp,6} {c.Fp,7} {c.Fn,7} {Precision(kind),10:0.000} {Recall(kind),7:0.000}");
        }
        return text.ToString();
    }

    private void Add(FindingKind kind, int tp, int fp, int fn)
    {
        var c = _counts.GetValueOrDefault(kind);
        _counts[kind] = (c.Tp + tp, c.Fp + fp, c.Fn + fn);
    }
}
