using Prepay.RevenueProtection.Findings;

namespace Prepay.RevenueProtection.Tests.Fleets;

/// <summary>
/// What was injected, as the detectors should report it: a per-meter kind by meter, a site outage by site and its
/// start, a ghost-credit kind by meter and record (a vend id, or a registration's instant).
/// </summary>
internal sealed class Truth
{
    public HashSet<(FindingKind Kind, string Where, string Record)> Items { get; } = [];

    public void Meter(FindingKind kind, string meter) => Items.Add((kind, meter, ""));

    public void Record(FindingKind kind, string meter, string record) => Items.Add((kind, meter, record));

    /// <summary>How a finding is keyed to be compared with the truth.</summary>
    public static (FindingKind Kind, string Where, string Record) Key(Finding f) => f.Kind switch
    {
        FindingKind.SiteOutage => (f.Kind, f.Site, ""),
        FindingKind.CreditNotRegistered or FindingKind.TokenNeverEntered or FindingKind.TokenOutOfSequence or FindingKind.UnexplainedCredit =>
            (f.Kind, f.Meter!.Value.Value, f.Evidence[0].Reference),
        _ => (f.Kind, f.Meter!.Value.Value, ""),
    };
}
