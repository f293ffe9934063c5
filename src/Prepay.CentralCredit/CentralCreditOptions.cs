namespace Prepay.CentralCredit;

/// <summary>Central credit's settings (section <c>CentralCredit</c>).</summary>
public sealed class CentralCreditOptions
{
    public const string Section = "CentralCredit";

    /// <summary>Whether this node runs the pricing worker. Every node may: meters are claimed, never priced twice.</summary>
    public bool Worker { get; set; } = true;

    /// <summary>How often the worker looks for readings to price when the last round found none (0.05 s to 1 min).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Readings priced in one write transaction (1 to 10 000).</summary>
    public int BatchSize { get; set; } = 2500;

    /// <summary>
    /// The shortest time between two balances sent to one meter's display while the balance falls (each priced reading
    /// changes it; the meter need not hear of every quarter hour). A top-up is sent at once. 1 s to 1 day; default 15 min.
    /// </summary>
    public TimeSpan BalanceDisplayInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How far a meter's credit register may stray from what the server expects before the daily comparison reports it
    /// (Wh, 0 to 100 000). Default 10 Wh: the comparison counts whole Wh on both sides, so a healthy meter differs by
    /// nothing; the margin absorbs a register rounded to 0.01 kWh by firmware that keeps hundredths, and is still far
    /// below the smallest top-up (an STS credit token carries 0.1 kWh steps, 100 Wh).
    /// </summary>
    public long ComparisonToleranceWh { get; set; } = 10;

    /// <summary>Whether this node runs the daily balance comparison (one node at a time holds its lease).</summary>
    public bool Comparison { get; set; } = true;

    /// <summary>How often the comparison job looks for a whole local day not yet compared (1 min to 1 day; default 1 hour).</summary>
    public TimeSpan ComparisonInterval { get; set; } = TimeSpan.FromHours(1);

    public string? Validate() =>
        PollInterval < TimeSpan.FromMilliseconds(50) || PollInterval > TimeSpan.FromMinutes(1) ? "CentralCredit:PollInterval must be between 00:00:00.05 and 00:01:00."
        : BatchSize is < 1 or > 10_000 ? "CentralCredit:BatchSize must be between 1 and 10000."
        : BalanceDisplayInterval < TimeSpan.FromSeconds(1) || BalanceDisplayInterval > TimeSpan.FromDays(1) ? "CentralCredit:BalanceDisplayInterval must be between 00:00:01 and 1.00:00:00."
        : ComparisonToleranceWh is < 0 or > 100_000 ? "CentralCredit:ComparisonToleranceWh must be between 0 and 100000."
        : ComparisonInterval < TimeSpan.FromMinutes(1) || ComparisonInterval > TimeSpan.FromDays(1) ? "CentralCredit:ComparisonInterval must be between 00:01:00 and 1.00:00:00."
        : null;
}
