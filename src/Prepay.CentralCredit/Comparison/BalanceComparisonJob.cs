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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ComparisonInterval);
        do
        {
            try
            {
                if (await leases.TryHoldAsync(JobName, Duration.FromTimeSpan(options.ComparisonInterval * 3), stoppingToken))
                {
                    var run = await comparisons.RunAsync(null, stoppingToken);
                    if (run.Differences > 0)
                    {
                        logger.LogWarning("Balance comparison: {Differences} of {Written} meters differ from the server", run.Differences, run.Written);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Comparing meters' balances failed; trying again next round");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
