using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage;
using Prepay.Testing;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Vending.Tests.Vends;

/// <summary>
/// What one vend costs the database, counted on a real server: the statements and round trips of a token vend and
/// of a smart meter's vend once the server is warm (the vendor, the tariff and the accounts already known), as
/// <c>VendingService</c> runs them. Each bound is what the vend costs now: a change that adds a statement or a
/// round trip to the hot path fails here and has to say why.
/// </summary>
public abstract class VendStatementCountTests(ServerFixture server)
{
    /// <summary>At most this for a vend to a token meter.</summary>
    protected abstract (int Statements, int RoundTrips) TokenVendBound { get; }

    /// <summary>At most this for a vend to a smart meter (its credit command is one more row).</summary>
    protected abstract (int Statements, int RoundTrips) SmartVendBound { get; }

    [Fact]
    public async Task A_token_vend_stays_within_its_statements_and_round_trips()
    {
        var cost = await MeasureAsync("token");
        Assert.True(cost.Statements <= TokenVendBound.Statements && cost.RoundTrips <= TokenVendBound.RoundTrips,
            $"token vend on {server.Provider}: {cost}, bound {TokenVendBound}:\n{string.Join("\n---\n", cost.Commands)}");
    }

    [Fact]
    public async Task A_smart_meter_vend_stays_within_its_statements_and_round_trips()
    {
        var cost = await MeasureAsync("smart");
        Assert.True(cost.Statements <= SmartVendBound.Statements && cost.RoundTrips <= SmartVendBound.RoundTrips,
            $"smart vend on {server.Provider}: {cost}, bound {SmartVendBound}:\n{string.Join("\n---\n", cost.Commands)}");
    }

    private async Task<DatabaseCost> MeasureAsync(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        var s = await Scenario.CreateAsync(server, mode: mode);
        Guid vendorId;
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            vendorId = await db.Vendors.AsNoTracking().Where(v => v.Code == s.VendorCode).Select(v => v.Id).SingleAsync(ct);
        }
        var vending = server.Services.GetRequiredService<VendingService>();
        var actor = new Actor(Guid.Empty, "till-" + s.Suffix, Role.Vendor, vendorId, null);

        // The first vend meets a cold server: the vendor, the meter's tariff and the accounts are read once.
        Assert.IsType<VendOutcome.Created>(await vending.VendAsync(Command(s, "first"), actor, ct));

        DatabaseCost cost;
        using (var counting = StatementCounter.Start())
        {
            Assert.IsType<VendOutcome.Created>(await vending.VendAsync(Command(s, "second"), actor, ct));
            cost = counting.Cost;
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{mode} vend on {server.Provider}: {cost}");
        return cost;
    }

    private static VendCommand Command(Scenario s, string key)
    {
        var (command, errors) = VendCommand.From($"{s.Suffix}-{key}", new VendRequest(s.MeterNumber, null, null, "25.00", "ZAR", null, null), long.MaxValue);
        Assert.Empty(errors);
        return command!;
    }
}

/// <summary>A server whose database work can be counted: the counter listens before its first database context.</summary>
public sealed class CountedSqliteServer : ServerFixture
{
    public CountedSqliteServer() => StatementCounter.Listen();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <inheritdoc cref="CountedSqliteServer"/>
public sealed class CountedPostgresServer : ServerFixture
{
    public CountedPostgresServer() => StatementCounter.Listen();

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

// SQLite's EF Core provider sends each insert of a SaveChanges as its own command (calls into the library in this
// process rather than network round trips); PostgreSQL's sends them together in one batch. Central credit added one
// statement and round trip to both: where the meter's credit is held (meter_credit_models), read before the sale's
// transaction; folding it into the target's read is the way to win it back.
// Counted as servers write vends by default, each in its own transaction. Written in batches (Vending:GroupCommitMaxVends,
// VendBatches) a vend's own cost is its savepoint and its release (two statements, two round trips) instead of BEGIN
// and COMMIT (two statements, one round trip); the batch's BEGIN and COMMIT are shared by its vends.
public sealed class VendStatementCountSqliteTests(CountedSqliteServer server) : VendStatementCountTests(server), IClassFixture<CountedSqliteServer>
{
    protected override (int Statements, int RoundTrips) TokenVendBound => (17, 16);

    protected override (int Statements, int RoundTrips) SmartVendBound => (18, 16);
}

public sealed class VendStatementCountPostgresTests(CountedPostgresServer server) : VendStatementCountTests(server), IClassFixture<CountedPostgresServer>
{
    protected override (int Statements, int RoundTrips) TokenVendBound => (15, 6);

    protected override (int Statements, int RoundTrips) SmartVendBound => (15, 6);
}
