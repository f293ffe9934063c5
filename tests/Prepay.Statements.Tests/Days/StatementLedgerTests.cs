using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Statements.Days;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Statements.Tests.Days;

/// <summary>
/// Three days of a central-credit meter in London across the clock change (28 March 2027 has 23 hours), each day's
/// readings priced within the day, a top-up on two of them, debt recovered, and two estimates replaced by their real
/// values: every line of each day agrees with the ledger's postings for that meter and day to the minor unit, and
/// each day's closing balance is the next day's opening and the ledger's balance at the day's end.
/// </summary>
public abstract class StatementLedgerTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(CentralMeter Meter, JsonNode Statement)> ThreeDaysAsync()
    {
        var meter = await CentralMeter.CreateAsync(server);
        await meter.TopUpAsync(CentralMeter.Local(27, 6), "50.00");
        await meter.LiveDayAsync(27);
        await meter.TopUpAsync(CentralMeter.Local(28, 12), "20.00");
        await meter.LiveDayAsync(28);
        await meter.LiveDayAsync(29, CentralMeter.Local(29, 10, 15), CentralMeter.Local(29, 10, 30));
        using var admin = server.Client();
        var statement = await Ok(await admin.GetAsync($"/api/v1/customers/{meter.Scenario.CustomerId}/statements?from=2027-03-27&to=2027-03-29", Ct));
        return (meter, statement);
    }

    [Fact]
    public async Task Each_days_lines_equal_the_ledgers_postings_and_each_closing_balance_the_next_opening_and_the_ledger_at_the_days_end()
    {
        var (meter, statement) = await ThreeDaysAsync();
        var m = statement["meters"]!.AsArray().Single()!;
        Assert.Equal("central", m["model"]!.GetValue<string>());
        Assert.Equal("Europe/London", m["timeZone"]!.GetValue<string>());
        var days = m["days"]!.AsArray().Select(d => d!).ToList();
        Assert.Equal(["2027-03-27", "2027-03-28", "2027-03-29"], days.Select(d => d["day"]!.GetValue<string>()));

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var central = AccountCode.MeterCentralCredit(meter.MeterId, "ZAR");
        long? previousClosing = null;
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var (start, end) = (CentralMeter.StartOf(27 + i), CentralMeter.StartOf(28 + i));
            long Minor(string name) => day[name]!.GetValue<long>();

            // The lines add up, and energy by period adds up to the energy line.
            var energy = day["energy"]!.AsArray().Select(e => e!).ToList();
            Assert.Equal(Minor("energyMinor"), energy.Sum(e => e["minor"]!.GetValue<long>()));
            Assert.Equal(Minor("energyWh"), energy.Sum(e => e["wh"]!.GetValue<long>()));
            Assert.Equal(Minor("deductionsMinor"), Minor("energyMinor") + Minor("fixedChargesMinor") + Minor("taxesMinor") + Minor("debtRecoveredMinor"));

            // Each line is what the day's consumption transactions moved from the meter's central account to its account.
            Assert.Equal(Minor("deductionsMinor"), -await MovedAsync(db, central, null, start, end, TransactionKind.Consumption));
            Assert.Equal(Minor("energyMinor") + Minor("fixedChargesMinor"),
                await MovedAsync(db, AccountCode.EnergyRevenue("ZAR"), central, start, end, TransactionKind.Consumption)
                + await MovedAsync(db, AccountCode.FixedChargeRevenue("ZAR"), central, start, end, TransactionKind.Consumption));
            Assert.Equal(Minor("taxesMinor"), await MovedAsync(db, AccountCode.Tax("VAT", "ZAR"), central, start, end, TransactionKind.Consumption));
            Assert.Equal(Minor("debtRecoveredMinor"), await MovedAsync(db, AccountCode.CustomerDebt(meter.Scenario.CustomerId, "ZAR"), central, start, end, TransactionKind.Consumption));
            Assert.Equal(Minor("topUpsMinor"), await MovedAsync(db, central, null, start, end, TransactionKind.Vend));

            // Balances: opening + top-ups + other − deductions = closing = the ledger at the day's end = the next opening.
            Assert.Equal(Minor("closingBalanceMinor"), Minor("openingBalanceMinor") + Minor("topUpsMinor") + Minor("otherMinor") - Minor("deductionsMinor"));
            Assert.Equal(Minor("closingBalanceMinor"), await MovedAsync(db, central, null, Instant.MinValue, end, null));
            if (previousClosing is { } p)
            {
                Assert.Equal(p, Minor("openingBalanceMinor"));
            }
            previousClosing = Minor("closingBalanceMinor");
        }
        Assert.Equal(previousClosing, await LedgerStore.BalanceAsync(db, central, Ct));

        // The clock change: 28 March has 92 quarter hours, 24 of them night (00:00–01:00 GMT, 02:00–07:00 BST).
        var dst = days[1]["energy"]!.AsArray().ToDictionary(e => e!["period"]!.GetValue<string>(), e => e!["wh"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { ["all day"] = 6_800, ["all night"] = 2_400 }, dst);

        // By hand, the 27th (96 quarters of 100 Wh): 28 night at 10 c + VAT ceil(1.5) = 2 c; 68 day at 20 c + ceil(3.0) = 3 c;
        // the service charge 150 c + ceil(22.5) = 23 c. Energy 280 + 1 360 = 1 640 c, taxes 56 + 204 + 23 = 283 c.
        var first = days[0];
        Assert.Equal(1_640, first["energyMinor"]!.GetValue<long>());
        Assert.Equal(150, first["fixedChargesMinor"]!.GetValue<long>());
        Assert.Equal(283, first["taxesMinor"]!.GetValue<long>());
        Assert.True(first["debtRecoveredMinor"]!.GetValue<long>() > 0);
        // The 29th's two estimates were corrected to their real value: the day is charged as if they had been right.
        Assert.Equal(first["energyMinor"]!.GetValue<long>(), days[2]["energyMinor"]!.GetValue<long>());
        Assert.Null(first["emergencyCreditTakenMinor"]?.GetValue<long?>());
        Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
    }

    [Fact]
    public async Task The_CSV_carries_the_same_figures_as_the_JSON()
    {
        var (meter, statement) = await ThreeDaysAsync();
        using var admin = server.Client();
        var path = $"/api/v1/customers/{meter.Scenario.CustomerId}/statements?from=2027-03-27&to=2027-03-29";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await admin.SendAsync(request, Ct);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var csv = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(csv, await admin.GetStringAsync(path + "&format=csv", Ct));

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal(string.Join(',', StatementCsv.Header), string.Join(',', lines[0]));
        var rows = lines.Skip(1).ToList();
        string? Cell(string day, string line, string period = "") =>
            rows.Single(r => r[0] == meter.MeterNumber && r[3] == day && r[4] == line && r[5] == period)[8] is { Length: > 0 } amount ? amount : null;
        static string? Decimal(JsonNode? minor) => minor is null ? null : (minor.GetValue<long>() / 100m).ToString("0.00", CultureInfo.InvariantCulture);

        var days = statement["meters"]![0]!["days"]!.AsArray();
        Assert.Equal(days.Count * 11 + days.Sum(d => d!["energy"]!.AsArray().Count - 1), rows.Count);
        foreach (var d in days)
        {
            var day = d!["day"]!.GetValue<string>();
            foreach (var e in d["energy"]!.AsArray())
            {
                var period = e!["period"]!.GetValue<string>();
                Assert.Equal(Decimal(e["minor"]), Cell(day, "energy", period));
                Assert.Equal(e["wh"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), rows.Single(r => r[3] == day && r[4] == "energy" && r[5] == period)[7]);
            }
            Assert.Equal(Decimal(d["fixedChargesMinor"]), Cell(day, "fixed-charges"));
            Assert.Equal(Decimal(d["taxesMinor"]), Cell(day, "taxes"));
            Assert.Equal(Decimal(d["debtRecoveredMinor"]), Cell(day, "debt-recovered"));
            Assert.Equal(Decimal(d["deductionsMinor"]), Cell(day, "deductions"));
            Assert.Equal(Decimal(d["topUpsMinor"]), Cell(day, "top-ups"));
            Assert.Equal(Decimal(d["otherMinor"]), Cell(day, "other"));
            Assert.Equal(Decimal(d["openingBalanceMinor"]), Cell(day, "opening-balance"));
            Assert.Equal(Decimal(d["closingBalanceMinor"]), Cell(day, "closing-balance"));
            // Not known on the server: empty in the CSV, null in the JSON, never 0.
            Assert.Null(Cell(day, "emergency-credit", "taken"));
            Assert.Null(d["emergencyCreditTakenMinor"]);
        }
    }

    [Fact]
    public async Task A_range_longer_than_the_limit_or_backwards_is_refused_with_a_problem()
    {
        var meter = await CentralMeter.CreateAsync(server);
        using var admin = server.Client();
        var path = $"/api/v1/customers/{meter.Scenario.CustomerId}/statements";
        var tooLong = await admin.GetAsync(path + "?from=2027-01-01&to=2027-04-03", Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("application/problem+json", tooLong.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 92", await tooLong.Content.ReadAsStringAsync(Ct));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await admin.GetAsync(path + "?from=2027-03-02&to=2027-03-01", Ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await admin.GetAsync(path + "?from=yesterday&to=2027-03-01", Ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync(path + "?from=2027-01-01&to=2027-04-02", Ct)).StatusCode);
    }

    /// <summary>
    /// What transactions of <paramref name="kind"/> (any, when null) dated in [since, until) moved into
    /// <paramref name="account"/> (out of it: negative), counting only postings whose other side is
    /// <paramref name="counterpart"/> when one is given: revenue and tax accounts are shared by every meter.
    /// </summary>
    private static async Task<long> MovedAsync(PrepayDb db, AccountCode account, AccountCode? counterpart, Instant since, Instant until, TransactionKind? kind)
    {
        var id = await db.Accounts.Where(a => a.Code == account.Value).Select(a => a.Id).SingleAsync(Ct);
        var other = counterpart is { } c ? await db.Accounts.Where(a => a.Code == c.Value).Select(a => (long?)a.Id).SingleAsync(Ct) : null;
        var postings =
            from p in db.Postings
            join t in db.LedgerTransactions on p.TransactionId equals t.Id
            where t.At >= since && t.At < until && (kind == null || t.Kind == kind)
            where (p.CreditAccountId == id && (other == null || p.DebitAccountId == other)) || (p.DebitAccountId == id && (other == null || p.CreditAccountId == other))
            select p.CreditAccountId == id ? p.Amount : -p.Amount;
        return await postings.SumAsync(Ct);
    }
}

public sealed class StatementLedgerSqliteTests(StatementSqliteServer server) : StatementLedgerTests(server), IClassFixture<StatementSqliteServer>;

public sealed class StatementLedgerPostgresTests(StatementPostgresServer server) : StatementLedgerTests(server), IClassFixture<StatementPostgresServer>;
