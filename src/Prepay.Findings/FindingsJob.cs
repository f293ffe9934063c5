using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prepay.Storage.Cluster;

namespace Prepay.Findings;

/// <summary>Runs <see cref="FindingsRun"/> every <see cref="FindingsOptions.Interval"/>, on one node at a time (a job lease).</summary>
public sealed class FindingsJob(FindingsRun run, JobLeases leases, FindingsOptions options, ILogger<FindingsJob> logger) : BackgroundService
{
    public const string JobName = "revenue.findings";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(JobName, options.Interval, atStart: false, async ct =>
        {
            var result = await run.RunAsync(ct);
            if (result.Made > 0)
            {
                logger.LogInformation("Revenue protection: {Made} new findings ({Alerts} alerted), {Updated} brought up to date, {Sites} sites read", result.Made, result.Alerts, result.Updated, result.Sites);
            }
        }, logger, stoppingToken);
}
