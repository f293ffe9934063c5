using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Testing;
using Prepay.Vending.Vends;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Vends;

/// <summary>
/// Concurrent vends share a transaction (group commit) and each stays all or nothing: held back behind a lock the
/// database holds for the test (SQLite's write lock, or the vendor's float row on PostgreSQL), ten requests are
/// written in two batches by one writer (the one held back and the one waiting behind it); a vend its float cannot cover is
/// refused alone, and a key sent several times in one batch makes one vend whose answer they all get. Run once per
/// database provider.
/// </summary>
public abstract class GroupCommitTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private VendBatches Batches => server.Services.GetRequiredService<VendBatches>();

    [Fact]
    public async Task A_vend_its_float_cannot_cover_is_refused_alone_and_its_batch_is_committed()
    {
        var s = await CreateAsync(server, floatAmount: "115.00", commissionBasisPoints: 0);
        using var vendor = server.Client(s.VendorKey);
        // The first vend makes the customer's accounts (their own committed statements) and warms the caches.
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "15.00", currency = "ZAR" }), Ct));
        var responses = await HeldBackAsync(s, Enumerable.Range(0, 10).Select(i => (Func<HttpRequestMessage>)(() =>
            Vend(new { meterNumber = s.MeterNumber, amount = "15.00", currency = "ZAR" }, $"{s.Suffix}-float-{i}"))).ToList(), vendor);

        Assert.Equal(6, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(4, refused.Count);
        foreach (var r in refused)
        {
            Status(HttpStatusCode.Conflict, r, await r.Content.ReadAsStringAsync(Ct));
            Assert.Equal("urn:prepay:problem:insufficient-float", (await Json(r))["type"]!.GetValue<string>());
        }
        Assert.Equal("10.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());
        await AssertLedgerHealthyAsync(s, expectedVends: 7);
    }

    [Fact]
    public async Task A_key_sent_several_times_in_one_batch_makes_one_vend_and_every_copy_gets_its_answer()
    {
        var s = await CreateAsync(server, commissionBasisPoints: 0);
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "12.00", currency = "ZAR" }), Ct));
        var batchesBefore = Batches.BatchesCommitted;

        var requests = Enumerable.Range(0, 10).Select(i => (Func<HttpRequestMessage>)(() =>
            Vend(new { meterNumber = s.MeterNumber, amount = "12.00", currency = "ZAR" }, i < 5 ? $"{s.Suffix}-same" : $"{s.Suffix}-other-{i}"))).ToList();
        var responses = await HeldBackAsync(s, requests, vendor);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(Json));
        var same = bodies.Take(5).Select(b => b.ToJsonString()).Distinct().ToList();
        Assert.Single(same); // the very same answer, token and all
        Assert.Equal(6, bodies.Select(b => b["id"]!.GetValue<Guid>()).Distinct().Count());
        Assert.Equal(6, bodies.Select(b => b["tokenId"]!.GetValue<long>()).Distinct().Count());
        // The one writer held a batch while held back; what waited behind it went together after.
        Assert.InRange(Batches.BatchesCommitted - batchesBefore, 1, 2);
        await AssertLedgerHealthyAsync(s, expectedVends: 7);

        // The node's metrics say as much.
        using var batchesMetric = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            server.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), VendingMetrics.MeterName, "prepay.vend.batches");
        _ = server.Services.GetRequiredService<VendingMetrics>();
        batchesMetric.RecordObservableInstruments();
        Assert.Equal(Batches.BatchesCommitted, batchesMetric.LastMeasurement?.Value);
    }

    /// <summary>
    /// Sends the requests while the database holds the batch writers back, waits (on the writers' own counts) until all
    /// of them reached them, then lets them go: they are written in the batches the writers hold and the ones after.
    /// </summary>
    private async Task<HttpResponseMessage[]> HeldBackAsync(Scenario s, IReadOnlyList<Func<HttpRequestMessage>> requests, HttpClient vendor)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        await using var hold = await db.BeginWriteAsync(Ct);
        if (db.Provider == DatabaseProvider.Postgres)
        {
            var vendorId = await db.Vendors.Where(v => v.Code == s.VendorCode).Select(v => v.Id).SingleAsync(Ct);
            var code = AccountCode.VendorFloat(vendorId, "ZAR").Value;
            // A batch stops at its commit, where its postings reach the float's balance.
            await db.Database.SqlQuery<long>($"SELECT balance AS \"Value\" FROM accounts WHERE code = {code} FOR UPDATE").ToListAsync(Ct);
        }
        var sent = requests.Select(r => vendor.SendAsync(r(), Ct)).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Batches.Waiting + Batches.Writing < requests.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {Batches.Waiting} waiting and {Batches.Writing} being written of {requests.Count}");
            Assert.DoesNotContain(sent, t => t.IsCompleted);
            await Task.Delay(20, Ct);
        }
        await hold.RollbackAsync(Ct);
        await hold.DisposeAsync(); // on SQLite it is the disposal that gives the writers' queue back
        return await Task.WhenAll(sent);
    }

    private async Task AssertLedgerHealthyAsync(Scenario s, int expectedVends)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
        Assert.Equal(0, await db.Accounts.SumAsync(a => a.Balance, Ct));
        var vends = await db.Vends.Where(v => v.MeterNumber == s.MeterNumber).ToListAsync(Ct);
        Assert.Equal(expectedVends, vends.Count);
        Assert.Equal(expectedVends, await db.LedgerTransactions.CountAsync(t => vends.Select(v => v.TransactionId).Contains(t.Id), Ct));
    }
}

/// <summary>A server that writes vends in batches, with one batch writer, so that what is held back and what waits behind it are two batches.</summary>
public abstract class OneWriterServer : ServerFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Vending:GroupCommitMaxVends"] = "64",
        ["Vending:GroupCommitWriters"] = "1",
    };
}

public sealed class OneWriterSqliteServer : OneWriterServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class OneWriterPostgresServer : OneWriterServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class GroupCommitSqliteTests(OneWriterSqliteServer server) : GroupCommitTests(server), IClassFixture<OneWriterSqliteServer>;

public sealed class GroupCommitPostgresTests(OneWriterPostgresServer server) : GroupCommitTests(server), IClassFixture<OneWriterPostgresServer>;
