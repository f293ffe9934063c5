using NodaTime;
using Prepay.RevenueProtection.Detectors;
using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection;

/// <summary>
/// Every detector over one site's observations for a window (its end is "now"): pure, no clock, no storage. The
/// findings come per meter in the site's order, then the site's outages.
/// </summary>
public static class RevenueDetectors
{
    public static IReadOnlyList<Finding> Detect(SiteObservations site, Interval window, DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        var o = options ?? new DetectionOptions();
        var timelines = site.Meters.Select(m => MeterTimeline.Of(m, window.End)).ToList();
        var findings = new List<Finding>();
        foreach (var m in timelines)
        {
            findings.AddRange(EventDetectors.Tamper(site.Site, m, window));
            findings.AddRange(ConsumptionDetectors.WhileDisconnected(site.Site, m, window, o));
            findings.AddRange(ConsumptionDetectors.Bypass(site.Site, m, timelines, window, o));
            findings.AddRange(EventDetectors.Overload(site.Site, m, window, o));
            findings.AddRange(EventDetectors.Voltage(site.Site, m, window, o));
            findings.AddRange(ConsumptionDetectors.Silent(site.Site, m, timelines, window, o));
            findings.AddRange(CreditDetectors.Ghosts(site.Site, m.Meter, window, o));
        }
        findings.AddRange(EventDetectors.SiteOutages(site, window, o));
        return findings;
    }
}
