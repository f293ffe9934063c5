using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
