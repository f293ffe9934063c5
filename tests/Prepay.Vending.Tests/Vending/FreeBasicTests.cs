using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Vending;

/// <summary>Free basic electricity: a zero-value vend of the tariff's monthly allowance, once a month, for indigent customers.</summary>
public abstract class FreeBasicTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Flat 2.00/kWh with 50 kWh free a month.</summary>
    private static string FreeBasicTariff(string code) => FlatTariff(code).Replace(
        "\"taxes\"", "\"freeBasic\": { \"monthlyKwh\": 50 },\n  \"taxes\"", StringComparison.Ordinal);

    private async Task RegisterIndigentAsync(Scenario s)
    {
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}", new { name = "Thandi Nkosi " + s.Suffix, indigent = true, @protected = false }, Ct));
    }

    private static HttpRequestMessage Issue(string meterNumber) =>
        new(HttpMethod.Post, "/api/v1/vends/free-basic") { Content = JsonContent.Create(new { meterNumber }) };

    [Fact]
    public async Task An_indigent_customer_gets_the_allowance_once_a_month_as_a_zero_value_vend_with_a_token()
    {
        var s = await CreateAsync(server, tariff: FreeBasicTariff);
        await RegisterIndigentAsync(s);
        using var vendor = server.Client(s.VendorKey);
        var subsidyBefore = await SubsidyAsync();

        var first = await vendor.SendAsync(Issue(s.MeterNumber), Ct);
        var vend = await Json(first);
        Status(HttpStatusCode.Created, first, vend.ToJsonString());
        Assert.Equal("freeBasic", vend["kind"]!.GetValue<string>());
        Assert.Equal("0.00", vend["amount"]!.GetValue<string>());
        Assert.Equal(50_000, vend["energyWh"]!.GetValue<long>());
        Assert.Matches("^[0-9]{20}$", vend["token"]!.GetValue<string>());

        var again = await vendor.SendAsync(Issue(s.MeterNumber), Ct);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(vend["id"]!.GetValue<string>(), (await Json(again))["id"]!.GetValue<string>());

        // The subsidy paid for 50 kWh at 2.00, into energy revenue, once.
        Assert.Equal(-10_000, await SubsidyAsync() - subsidyBefore);
        await using var scope = server.Scope();
        Assert.Empty(await LedgerStore.VerifyAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), Ct));
    }

    private async Task<long> SubsidyAsync()
    {
        await using var scope = server.Scope();
        return await LedgerStore.BalanceAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), Prepay.Ledger.Accounts.AccountCode.FreeEnergy("ZAR"), Ct);
    }

    [Fact]
    public async Task Concurrent_requests_issue_the_month_once()
    {
        var s = await CreateAsync(server, tariff: FreeBasicTariff);
        await RegisterIndigentAsync(s);
        using var vendor = server.Client(s.VendorKey);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => vendor.SendAsync(Issue(s.MeterNumber), Ct)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await Json(r))["id"]!.GetValue<string>()));
        Assert.Single(ids.Distinct());
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(1, await db.Vends.CountAsync(v => v.MeterNumber == s.MeterNumber, Ct));
    }

    [Fact]
    public async Task A_customer_not_registered_as_indigent_or_a_tariff_without_allowance_gets_nothing()
    {
        var notIndigent = await CreateAsync(server, tariff: FreeBasicTariff);
        using var vendor = server.Client(notIndigent.VendorKey);
        var refused = await vendor.SendAsync(Issue(notIndigent.MeterNumber), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("urn:prepay:problem:not-eligible", (await Json(refused))["type"]!.GetValue<string>());

        var noAllowance = await CreateAsync(server);
        await RegisterIndigentAsync(noAllowance);
        using var other = server.Client(noAllowance.VendorKey);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await other.SendAsync(Issue(noAllowance.MeterNumber), Ct)).StatusCode);

        using var admin = server.Client();
        var list = (await Ok(await admin.GetAsync($"/api/v1/vends?meterNumber={notIndigent.MeterNumber}", Ct))).AsArray();
        Assert.Empty(list);
    }

    [Fact]
    public async Task The_free_allowance_does_not_count_towards_the_months_purchased_blocks()
    {
        var s = await CreateAsync(server, tariff: FreeBasicTariff);
        await RegisterIndigentAsync(s);
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Issue(s.MeterNumber), Ct));
        var paid = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        Assert.Equal(5_000, paid["energyWh"]!.GetValue<long>());
        Assert.Equal("credit", paid["kind"]!.GetValue<string>());
    }
}

public sealed class FreeBasicSqliteTests(FreshSqliteServer server) : FreeBasicTests(server), IClassFixture<FreshSqliteServer>;

public sealed class FreeBasicPostgresTests(FreshPostgresServer server) : FreeBasicTests(server), IClassFixture<FreshPostgresServer>;
