using System.Net;
using System.Net.Http.Json;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Vending;

/// <summary>Arrears loaded onto a customer are recovered from purchases by the tariff's rule, capped per month.</summary>
public abstract class DebtRecoveryTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage LoadDebt(Guid customer, string amount, string key, string reason = "arrears before prepayment") =>
        new(HttpMethod.Post, $"/api/v1/customers/{customer}/debts")
        {
            Content = JsonContent.Create(new { amount, currency = "ZAR", reason }),
            Headers = { { "Idempotency-Key", key } },
        };

    [Fact]
    public async Task Loaded_debt_is_recovered_from_purchases_up_to_the_monthly_cap()
    {
        var s = await CreateAsync(server, tariff: DebtTariff);
        using var admin = server.Client();
        using var vendor = server.Client(s.VendorKey);
        var loaded = await admin.SendAsync(LoadDebt(s.CustomerId, "100.00", "debt-1"), Ct);
        Assert.Equal(HttpStatusCode.Created, loaded.StatusCode);
        Assert.Equal("100.00", (await Json(loaded))["account"]!["debtOutstanding"]!.GetValue<string>());

        var first = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.00", currency = "ZAR" }), Ct));
        Assert.Equal("25.00", first["breakdown"]!["debtRecovered"]!.GetValue<string>());
        // 75.00 left buys 37.5 kWh at 2.00.
        Assert.Equal(37_500, first["energyWh"]!.GetValue<long>());

        var second = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.00", currency = "ZAR" }), Ct));
        Assert.Equal("5.00", second["breakdown"]!["debtRecovered"]!.GetValue<string>());

        var account = await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/account?currency=ZAR", Ct));
        Assert.Equal("70.00", account["debtOutstanding"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_debt_load_is_idempotent_and_a_reused_key_with_another_amount_is_refused()
    {
        var s = await CreateAsync(server, tariff: DebtTariff);
        using var admin = server.Client();
        var first = await Json(await admin.SendAsync(LoadDebt(s.CustomerId, "40.00", "debt-2"), Ct));
        var retry = await admin.SendAsync(LoadDebt(s.CustomerId, "40.00", "debt-2"), Ct);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(first["transactionId"]!.GetValue<string>(), (await Json(retry))["transactionId"]!.GetValue<string>());
        Assert.Equal("40.00", (await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/account", Ct)))["debtOutstanding"]!.GetValue<string>());

        var other = await admin.SendAsync(LoadDebt(s.CustomerId, "41.00", "debt-2"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        var noReason = await admin.SendAsync(LoadDebt(s.CustomerId, "41.00", "debt-3", reason: ""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.SendAsync(LoadDebt(s.CustomerId, "1.00", "debt-4"), Ct)).StatusCode);
        Assert.Equal("40.00", (await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/account", Ct)))["debtOutstanding"]!.GetValue<string>());
    }
}

public sealed class DebtRecoverySqliteTests(SqliteServer server) : DebtRecoveryTests(server), IClassFixture<SqliteServer>;

public sealed class DebtRecoveryPostgresTests(PostgresServer server) : DebtRecoveryTests(server), IClassFixture<PostgresServer>;
