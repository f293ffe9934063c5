using NodaTime;

namespace Prepay.Vending;

/// <summary>Limits of the vending API, bound from the <c>Vending</c> configuration section.</summary>
public sealed class VendingOptions
{
    public const string Section = "Vending";

    /// <summary>Largest single vend in minor units. Default 10,000,000 (100,000.00 in a two-decimal currency).</summary>
    public long MaxAmountMinor { get; set; } = 10_000_000;

    /// <summary>How long after a vend it may still be reversed. Default 30 minutes; 1 minute to 30 days.</summary>
    public TimeSpan ReversalWindow { get; set; } = TimeSpan.FromMinutes(30);

    public Duration ReversalDuration => Duration.FromTimeSpan(ReversalWindow);

    /// <summary>
    /// How long a server may use vendors and tariff assignments it has read before reading them again. Default
    /// 5 seconds; 0 to 5 minutes. A change made on another server takes effect here within this time.
    /// </summary>
    public TimeSpan ConfigurationCache { get; set; } = TimeSpan.FromSeconds(5);

    public Duration ConfigurationCacheDuration => Duration.FromTimeSpan(ConfigurationCache);

    /// <summary>
    /// Vends written together in one transaction (group commit), each in a savepoint of its own so that it stays
    /// all or nothing: concurrent vends share one commit and queue once per batch at the accounts every sale touches
    /// (the vendor's float, revenue, tax). Default 1, each vend written alone: measured on two cores a vend is bound by
    /// CPU, not by its commit, and batches of vends written one statement at a time cost more than they save
    /// (README, Benchmarks); up to 1,000 for a database whose commits wait on a slow disk.
    /// </summary>
    public int GroupCommitMaxVends { get; set; } = 1;

    /// <summary>
    /// Batches written at once, each on its own connection (see <see cref="GroupCommitMaxVends"/>). Default 4, 1 to 64.
    /// </summary>
    public int GroupCommitWriters { get; set; } = 4;

    public string? Validate() =>
        GroupCommitMaxVends is < 1 or > 1000 ? "Vending:GroupCommitMaxVends must be 1 to 1000"
        : GroupCommitWriters is < 1 or > 64 ? "Vending:GroupCommitWriters must be 1 to 64"
        : MaxAmountMinor <= 0 ? "Vending:MaxAmountMinor must be positive"
        : ReversalWindow < TimeSpan.FromMinutes(1) || ReversalWindow > TimeSpan.FromDays(30) ? "Vending:ReversalWindow must be between 1 minute and 30 days"
        : ConfigurationCache < TimeSpan.Zero || ConfigurationCache > TimeSpan.FromMinutes(5) ? "Vending:ConfigurationCache must be between 0 and 5 minutes"
        : null;
}
