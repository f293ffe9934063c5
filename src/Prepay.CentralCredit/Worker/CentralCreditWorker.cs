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
    /// <summary>
    /// How often the displays are looked over when nothing woke the worker: each look reads every central meter's
    /// balance, too much to do on every poll of a large fleet. A rise (a top-up) is sent at the next look, so within
    /// this interval; a <see cref="Wake"/> looks at once.
    /// </summary>
    public static readonly TimeSpan DisplayScanInterval = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _wake = new(0);
    private long _lastDisplayScan;

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
        var woken = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await round.RunOnceAsync(stoppingToken) > 0)
                {
                }
                await reconnections.RunOnceAsync(stoppingToken);
                if (woken || _lastDisplayScan == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(_lastDisplayScan) >= DisplayScanInterval)
                {
                    _lastDisplayScan = System.Diagnostics.Stopwatch.GetTimestamp();
                    await displays.RunOnceAsync(stoppingToken);
                }
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
                woken = await _wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
