using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Vending;

/// <summary>
/// The first vends on a fresh database, all at once: each needs revenue, tax and commission accounts that do not
/// exist yet. An account created inside one vend's transaction would be invisible to the others until it commits;
/// this test failed with foreign-key violations on PostgreSQL until accounts were created before the transaction.
/// </summary>
public abstract class FirstVendsTests(ServerFixture server)
{
    [Fact]
    public async Task Concurrent_first_vends_on_a_fresh_database_all_succeed_and_the_ledger_balances()
    {
        var ct = TestContext.Current.CancellationToken;
        var scenarios = new List<Scenario>();
        for (var i = 0; i < 8; i++)
        {
            scenarios.Add(await CreateAsync(server));
        }
        var responses = await Task.WhenAll(scenarios.Select(async s =>
        {
            using var vendor = server.Client(s.VendorKey);
            var r = await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), ct);
            return (r.StatusCode, Body: await r.Content.ReadAsStringAsync(ct));
        }));
        Assert.All(responses, r => Assert.True(r.StatusCode == HttpStatusCode.Created, r.Body));

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(8, await db.Vends.CountAsync(ct));
        Assert.Empty(await LedgerStore.VerifyAsync(db, ct));
        Assert.Equal(0, await db.Accounts.SumAsync(a => a.Balance, ct));
    }
}

public sealed class FreshSqliteServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class FreshPostgresServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class FirstVendsSqliteTests(FreshSqliteServer server) : FirstVendsTests(server), IClassFixture<FreshSqliteServer>;

public sealed class FirstVendsPostgresTests(FreshPostgresServer server) : FirstVendsTests(server), IClassFixture<FreshPostgresServer>;
