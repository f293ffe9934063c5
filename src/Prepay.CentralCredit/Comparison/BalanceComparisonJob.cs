using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Storage.Cluster;

namespace Prepay.CentralCredit.Comparison;

/// <summary>
/// Runs <see cref="BalanceComparisons"/> for each meter's yesterday every <see cref="CentralCreditOptions.ComparisonInterval"/>,
/// on one node at a time (a job lease). A meter and day already compared is skipped, so running often costs little
/// and a day missed while no node ran is compared at the next round of that day.
/// </summary>
public sealed class BalanceComparisonJob(BalanceComparisons comparisons, JobLeases leases, CentralCreditOptions options, ILogger<BalanceComparisonJob> logger) : BackgroundService
{
    public const string JobName = "central-credit.balance-comparison";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(JobName, options.ComparisonInterval, atStart: true, async ct =>
        {
            var run = await comparisons.RunAsync(null, ct);
            if (run.Differences > 0)
            {
                logger.LogWarning("Balance comparison: {Differences} of {Written} meters differ from the server", run.Differences, run.Written);
            }
        }, logger, stoppingToken);
}
