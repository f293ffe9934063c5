namespace Prepay.Statements;

/// <summary>Statements' settings (section <c>Statements</c>).</summary>
public sealed class StatementsOptions
{
    public const string Section = "Statements";

    /// <summary>The longest range one statement covers, in days (1 to 366): bounds what a request reads.</summary>
    public int MaxDays { get; set; } = 92;

    /// <summary>Whether this node runs the digest job. Every node may: the job runs under a lease and each digest is queued once.</summary>
    public bool Digests { get; set; } = true;

    /// <summary>How often the digest job looks for periods ended (1 minute to 1 day).</summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Local time of day (in the meter's tariff's zone) after which the day before is summed up: late readings of the
    /// day are priced by then. 00:00 to 23:59.
    /// </summary>
    public TimeSpan DigestAfter { get; set; } = TimeSpan.FromHours(6);

    public string? Validate() =>
        MaxDays is < 1 or > 366 ? "Statements:MaxDays must be between 1 and 366."
        : DigestInterval < TimeSpan.FromMinutes(1) || DigestInterval > TimeSpan.FromDays(1) ? "Statements:DigestInterval must be between 00:01:00 and 1.00:00:00."
        : DigestAfter < TimeSpan.Zero || DigestAfter >= TimeSpan.FromDays(1) ? "Statements:DigestAfter must be a time of day, 00:00 to 23:59."
        : null;
}
