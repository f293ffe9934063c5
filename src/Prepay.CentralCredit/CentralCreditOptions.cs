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
    public int BatchSize { get; set; } = 1000;

    public string? Validate() =>
        PollInterval < TimeSpan.FromMilliseconds(50) || PollInterval > TimeSpan.FromMinutes(1) ? "CentralCredit:PollInterval must be between 00:00:00.05 and 00:01:00."
        : BatchSize is < 1 or > 10_000 ? "CentralCredit:BatchSize must be between 1 and 10000."
        : null;
}
