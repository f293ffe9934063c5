using Prepay.RevenueProtection;

namespace Prepay.Findings;

/// <summary>Section <c>RevenueProtection</c>: how often the detectors run, over how long a window, and which findings alert operators.</summary>
public sealed class FindingsOptions
{
    public const string Section = "RevenueProtection";

    /// <summary>Run the detectors on this node's turn of the job lease (off: findings are made only when asked, <c>POST /findings/run</c>).</summary>
    public bool Job { get; set; } = true;

    /// <summary>How often the detectors run over every site (default an hour).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The window they read, ending now (default 21 days: a week of baseline and two to find a drop in).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(21);

    /// <summary>A new finding at least this sure (0-100) raises an operator alert (default 70).</summary>
    public int AlertConfidence { get; set; } = 70;

    /// <summary>The detectors' thresholds.</summary>
    public DetectionOptions Detection { get; set; } = new();

    public string? Validate() =>
        Interval < TimeSpan.FromMinutes(1) || Interval > TimeSpan.FromDays(1) ? "RevenueProtection:Interval must be 1 minute to 1 day"
        : Window < TimeSpan.FromDays(1) || Window > TimeSpan.FromDays(92) ? "RevenueProtection:Window must be 1 to 92 days"
        : AlertConfidence is < 0 or > 101 ? "RevenueProtection:AlertConfidence must be 0 to 101 (101: no alerts)"
        : null;
}
