using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Approvals;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Catalog.Tests;

/// <summary>
/// Opening balances from an installations file (issue 17, item 5): the import moves no money but asks, per customer,
/// for one approval; a second administrator's approval posts the credit and the arrears; importing the file again asks
/// for nothing; another balance for the same customer, or an amount that is not one, is refused by line and column.
/// </summary>
public abstract class OpeningBalanceImportTests(ServerFixture server)
{
    private const string Header = "site,site_name,unit,customer_name,meter,mode,currency,tariff,opening_credit,opening_arrears";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Opening_balances_are_asked_for_moved_only_when_a_second_admin_approves_and_asked_for_once()
    {
        var s = await CreateAsync(server);
        var tag = s.Suffix.ToUpperInvariant();
        string Row(int i, string credit, string arrears) => $"OB{tag},Opening {tag},U-{i},Customer {i},{tag[..5]}B{i:0000},token,ZAR,{s.TariffCode},{credit},{arrears}";
        var file = string.Join("\n", [Header, Row(1, "100.00", ""), Row(2, "0", "50.50"), Row(3, "20", "30.00"), Row(4, "", "")]) + "\n";
        using var admin = server.Client();

        var imported = await Ok(await PostAsync(admin, file));
        Assert.Equal(3, imported["plan"]!["openingBalances"]!.GetValue<int>());
        var customers = await CustomersAsync($"OB{tag}");
        var requested = await RequestsAsync(customers.Values);
        Assert.Equal(3, requested.Count);
        Assert.All(requested, a => Assert.Equal(ApprovalState.Requested, a.State));
        Assert.Equal(10_000, requested.Single(a => a.Target == $"opening-balance:{customers["U-1"]}").AmountMinor);
        foreach (var unit in new[] { "U-1", "U-2", "U-3", "U-4" })
        {
            Assert.Equal((0, 0), await BalancesAsync(customers[unit]));
        }

        var again = await Ok(await PostAsync(admin, file));
        Assert.Equal((0, 4), (again["plan"]!["openingBalances"]!.GetValue<int>(), again["plan"]!["unchanged"]!.GetValue<int>()));
        Assert.Equal(3, (await RequestsAsync(customers.Values)).Count);

        foreach (var request in requested)
        {
            var approved = await ApproveAsync(server, new JsonObject { ["id"] = request.Id.ToString() });
            Assert.Equal("approved", approved["state"]!.GetValue<string>());
        }
        Assert.Equal((10_000, 0), await BalancesAsync(customers["U-1"]));
        Assert.Equal((0, -5_050), await BalancesAsync(customers["U-2"]));
        Assert.Equal((2_000, -3_000), await BalancesAsync(customers["U-3"]));
        Assert.Equal((0, 0), await BalancesAsync(customers["U-4"]));

        var afterApproval = await Ok(await PostAsync(admin, file));
        Assert.Equal(0, afterApproval["plan"]!["openingBalances"]!.GetValue<int>());
        Assert.Equal(3, (await RequestsAsync(customers.Values)).Count);

        // An opening balance is set once: another amount for a customer who has one is a problem, not a second request.
        var other = string.Join("\n", [Header, Row(1, "100.00", ""), Row(2, "0", "60")]);
        var refused = await PostAsync(admin, other);
        Assert.Equal(HttpStatusCode.UnprocessableContent, refused.StatusCode);
        Assert.Equal([(3, "opening_arrears")], await ProblemsAsync(refused));
        Assert.Equal(3, (await RequestsAsync(customers.Values)).Count);
        Assert.Equal((0, -5_050), await BalancesAsync(customers["U-2"]));
    }

    [Fact]
    public async Task An_amount_that_is_not_one_is_refused_by_line_and_column_and_nothing_is_asked()
    {
        var s = await CreateAsync(server);
        var tag = s.Suffix.ToUpperInvariant();
        string Row(int i, string credit, string arrears, string customer = "Customer") =>
            $"OX{tag},Opening {tag},U-{i},{customer},{tag[..5]}X{i:0000},token,ZAR,{s.TariffCode},{credit},{arrears}";
        var file = string.Join("\n", [Header, Row(1, "12.345", ""), Row(2, "", "-5"), Row(3, "ten", ""), Row(4, "5", "", customer: ""), Row(5, "1", "1")]);
        using var admin = server.Client();
        var approvalsBefore = await CountApprovalsAsync();

        var refused = await PostAsync(admin, file);

        Assert.Equal(HttpStatusCode.UnprocessableContent, refused.StatusCode);
        Assert.Equal([(2, "opening_credit"), (3, "opening_arrears"), (4, "opening_credit"), (5, "opening_credit")], await ProblemsAsync(refused));
        Assert.Equal(approvalsBefore, await CountApprovalsAsync());
        Assert.Empty(await CustomersAsync($"OX{tag}"));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string csv) =>
        await client.PostAsync("/api/v1/catalog/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

    private static async Task<List<(int, string?)>> ProblemsAsync(HttpResponseMessage refused) =>
        [.. (await Json(refused))["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]?.GetValue<string>()))];

    private async Task<Dictionary<string, Guid>> CustomersAsync(string site)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await (from p in db.Premises join x in db.Sites on p.SiteId equals x.Id where x.Code == site && p.CustomerId != null select new { p.Label, p.CustomerId })
            .ToDictionaryAsync(p => p.Label, p => p.CustomerId!.Value, Ct);
    }

    private async Task<List<MoneyApproval>> RequestsAsync(IEnumerable<Guid> customers)
    {
        var targets = customers.Select(c => $"opening-balance:{c}").ToList();
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.MoneyApprovals.AsNoTracking().Where(a => a.Kind == ApprovalKind.OpeningBalance && targets.Contains(a.Target)).ToListAsync(Ct);
    }

    private async Task<int> CountApprovalsAsync()
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MoneyApprovals.CountAsync(Ct);
    }

    private async Task<(long Credit, long Debt)> BalancesAsync(Guid customer)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return (await LedgerStore.BalanceAsync(db, AccountCode.CustomerCredit(customer, "ZAR"), Ct), await LedgerStore.BalanceAsync(db, AccountCode.CustomerDebt(customer, "ZAR"), Ct));
    }
}

public sealed class OpeningBalanceImportSqliteTests(SqliteServer server) : OpeningBalanceImportTests(server), IClassFixture<SqliteServer>;

public sealed class OpeningBalanceImportPostgresTests(PostgresServer server) : OpeningBalanceImportTests(server), IClassFixture<PostgresServer>;
