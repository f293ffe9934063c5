using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Prepay.Storage.Cluster;
using Prepay.Testing;

namespace Prepay.Storage.Tests;

/// <summary>
/// A periodic job runs on one node at a time: the node holding its lease keeps it by renewing, another takes it only
/// once it has expired, and of many asking at once exactly one gets it. Each "node" here is a <see cref="JobLeases"/>
/// with its own identity on the test server's database and clock.
/// </summary>
public abstract class JobLeaseTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Duration Lease = Duration.FromSeconds(30);

    private JobLeases Node() => new(server.Services.GetRequiredService<IServiceScopeFactory>(), new NodeIdentity(), server.Clock);

    [Fact]
    public async Task The_holder_renews_another_node_waits_for_expiry_then_takes_over()
    {
        server.SkipUnlessAvailable();
        var job = "test-job-" + Guid.NewGuid().ToString("N")[..8];
        var (a, b) = (Node(), Node());

        Assert.True(await a.TryHoldAsync(job, Lease, Ct));
        Assert.False(await b.TryHoldAsync(job, Lease, Ct));
        server.Clock.Advance(Duration.FromSeconds(20));
        Assert.True(await a.TryHoldAsync(job, Lease, Ct)); // renewed: now good until 50 s
        server.Clock.Advance(Duration.FromSeconds(20));
        Assert.False(await b.TryHoldAsync(job, Lease, Ct)); // 40 s: a's renewal still holds

        // a stops renewing (its node died): once the lease is over, b takes the job and a is out.
        server.Clock.Advance(Duration.FromSeconds(11));
        Assert.True(await b.TryHoldAsync(job, Lease, Ct));
        Assert.False(await a.TryHoldAsync(job, Lease, Ct));
    }

    [Fact]
    public async Task Of_many_nodes_asking_at_once_exactly_one_holds_the_job()
    {
        server.SkipUnlessAvailable();
        var job = "test-race-" + Guid.NewGuid().ToString("N")[..8];
        var nodes = Enumerable.Range(0, 8).Select(_ => Node()).ToList();
        var held = await Task.WhenAll(nodes.Select(n => n.TryHoldAsync(job, Lease, Ct)));
        Assert.Equal(1, held.Count(h => h));
    }

    [Fact]
    public async Task The_periodic_loop_runs_rounds_only_on_the_holder_and_goes_on_after_a_round_fails()
    {
        server.SkipUnlessAvailable();
        var job = "test-loop-" + Guid.NewGuid().ToString("N")[..8];
        var (holder, other) = (Node(), Node());
        Assert.True(await holder.TryHoldAsync(job, Lease, Ct)); // the test clock stands still: the lease holds throughout
        var rounds = 0;
        var otherRounds = 0;
        var thirdRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var running = holder.RunPeriodicallyAsync(job, TimeSpan.FromMilliseconds(20), atStart: true, _ =>
        {
            if (Interlocked.Increment(ref rounds) == 1)
            {
                throw new InvalidOperationException("the first round fails");
            }
            if (rounds == 3)
            {
                thirdRound.TrySetResult();
            }
            return Task.CompletedTask;
        }, logger, stop.Token);
        var otherRunning = other.RunPeriodicallyAsync(job, TimeSpan.FromMilliseconds(20), atStart: true, _ =>
        {
            Interlocked.Increment(ref otherRounds);
            return Task.CompletedTask;
        }, logger, stop.Token);

        await thirdRound.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await stop.CancelAsync();
        await Task.WhenAll(running, otherRunning); // both loops end on cancellation, without throwing
        Assert.True(rounds >= 3);
        Assert.Equal(0, otherRounds);
    }
}

public sealed class JobLeaseSqliteTests(SqliteServer server) : JobLeaseTests(server), IClassFixture<SqliteServer>;

public sealed class JobLeasePostgresTests(PostgresServer server) : JobLeaseTests(server), IClassFixture<PostgresServer>;
