using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prepay.Storage;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Reads every DLMS meter with an endpoint each <see cref="DlmsOptions.ReadInterval"/>: its load profile since its
/// last stored reading and its state (<see cref="DlmsMeterReader.ReadAsync"/>), through the fleet poller (bounded
/// concurrency, one session per meter at a time, the same gates the command transport takes). Rounds never overlap;
/// a meter that fails is tried again next round, and what it missed is in its profile then.
/// </summary>
public sealed class DlmsScheduledReads(
    IServiceScopeFactory scopes,
    DlmsFleetPoller poller,
    DlmsMeterReader reader,
    DlmsOptions options,
    ILogger<DlmsScheduledReads> logger) : BackgroundService
{
    private readonly SemaphoreSlim _round = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReadInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReadOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "DLMS scheduled read failed; trying again next round");
            }
        }
    }

    /// <summary>One round over every DLMS meter; returns the outcome per meter (rows ingested, or why not).</summary>
    public async Task<IReadOnlyList<DlmsMeterRun<int>>> ReadOnceAsync(CancellationToken ct)
    {
        await _round.WaitAsync(ct);
        try
        {
            IReadOnlyList<(Guid MeterId, DlmsMeterEndpoint Endpoint)> meters;
            await using (var scope = scopes.CreateAsyncScope())
            {
                meters = await DlmsEndpoints.AllAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), ct);
            }
            if (meters.Count == 0)
            {
                return [];
            }
            var runs = await poller.RunAsync([.. meters.Select(m => m.Endpoint)], reader.ReadAsync, cancellationToken: ct);
            foreach (var run in runs.Where(r => !r.Outcome.IsSuccess))
            {
                logger.LogWarning("DLMS meter {Meter} was not read: {Outcome}", run.Meter.Value, run.Outcome);
            }
            return runs;
        }
        finally
        {
            _round.Release();
        }
    }
}
