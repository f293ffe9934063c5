using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// Runs <see cref="ConsumptionRound"/> back to back while it finds work, then <see cref="Reconnections"/> and
/// <see cref="Display.BalanceDisplays"/> (the balances the rounds changed, and top-ups, to the meters' displays), then waits
/// <see cref="CentralCreditOptions.PollInterval"/> (or until <see cref="Wake"/>). Any number of nodes may run it.
/// </summary>
public sealed class CentralCreditWorker(ConsumptionRound round, Reconnections reconnections, Display.BalanceDisplays displays, CentralCreditOptions options,
    ILogger<CentralCreditWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Asks for a round now (after a top-up) instead of at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await round.RunOnceAsync(stoppingToken) > 0)
                {
                }
                await reconnections.RunOnceAsync(stoppingToken);
                await displays.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Storage.WriteTransactions.IsUniqueViolation(e) || Storage.WriteTransactions.IsTransient(e))
            {
                // Another node priced the same row first (a key taken) or the database asked for a retry: the round
                // rolled back whole and the next one starts from what is committed.
                logger.LogDebug(e, "Central credit round rolled back; trying again");
            }
            catch (Exception e)
            {
                logger.LogError(e, "Central credit round failed; trying again");
            }
            try
            {
                await _wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
