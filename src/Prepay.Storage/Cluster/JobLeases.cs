using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Prepay.Storage.Cluster;

/// <summary>
/// Periodic jobs that must run once across the cluster (the low-credit watch, marking silent meters offline) hold a
/// lease in the database before each round: one row per job naming the node and until when. The node holding it
/// renews it each round; another takes it only once it has expired, so a dead node's jobs pass to a live one within
/// one lease. The take is one statement (an upsert whose update only applies to the holder's own or an expired
/// lease), so the database, not timing, decides between two nodes asking at once.
/// </summary>
public sealed class JobLeases(IServiceScopeFactory scopes, NodeIdentity node, IClock clock)
{
    /// <summary>
    /// Runs <paramref name="round"/> every <paramref name="interval"/> (the first at once when <paramref name="atStart"/>,
    /// else after one interval), each time only if this node holds <paramref name="job"/>'s lease, three intervals long
    /// and renewed each round. A round that fails is logged and tried again at the next interval. Returns when
    /// <paramref name="stoppingToken"/> is cancelled: the loop of every periodic job that runs once across the cluster.
    /// </summary>
    public async Task RunPeriodicallyAsync(string job, TimeSpan interval, bool atStart, Func<CancellationToken, Task> round, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(logger);
        using var timer = new PeriodicTimer(interval);
        try
        {
            if (!atStart && !await timer.WaitForNextTickAsync(stoppingToken))
            {
                return;
            }
            do
            {
                try
                {
                    if (await TryHoldAsync(job, Duration.FromTimeSpan(interval * 3), stoppingToken))
                    {
                        await round(stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Periodic job {Job} failed; trying again at the next interval", job);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>True when this node holds <paramref name="job"/> for <paramref name="lease"/> from now (taken or renewed).</summary>
    public async Task<bool> TryHoldAsync(string job, Duration lease, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var until = (now + lease).ToUnixTimeTicks();
        var holder = node.Id;
        var nowTicks = now.ToUnixTimeTicks();
        // INSERT … ON CONFLICT … DO UPDATE … WHERE: SQLite 3.24+ and PostgreSQL 9.5+ alike; a refused update counts 0 rows.
        var rows = await db.QueuedAsync(() => db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO job_leases (name, holder, expires_at) VALUES ({job}, {holder}, {until})
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= {nowTicks}
            """, ct), ct);
        return rows == 1;
    }
}
