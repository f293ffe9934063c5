using System.Net;
using System.Net.Http.Json;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Vending;

/// <summary>Arrears loaded onto a customer are recovered from purchases by the tariff's rule, capped per month.</summary>
public abstract class DebtRecoveryTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A debt load as staff make it: the fixture's admin asks, a second admin approves.</summary>
    private async Task LoadDebtAsync(Guid customer, string amount, string reason = "arrears before prepayment")
    {
        using var admin = server.Client();
        await ApproveAsync(server, await Ok(await admin.PostAsJsonAsync($"/api/v1/customers/{customer}/debts", new { amount, currency = "ZAR", reason }, Ct)));
    }

    [Fact]
    public async Task Loaded_debt_is_recovered_from_purchases_up_to_the_monthly_cap()
    {
        var s = await CreateAsync(server, tariff: DebtTariff);
        using var admin = server.Client();
        using var vendor = server.Client(s.VendorKey);
        await LoadDebtAsync(s.CustomerId, "100.00");
        Assert.Equal("100.00", (await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/account", Ct)))["debtOutstanding"]!.GetValue<string>());

        var first = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.00", currency = "ZAR" }), Ct));
        Assert.Equal("25.00", first["breakdown"]!["debtRecovered"]!.GetValue<string>());
        // 75.00 left buys 37.5 kWh at 2.00.
        Assert.Equal(37_500, first["energyWh"]!.GetValue<long>());

        var second = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.00", currency = "ZAR" }), Ct));
        Assert.Equal("5.00", second["breakdown"]!["debtRecovered"]!.GetValue<string>());

        var account = await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/account?currency=ZAR", Ct));
        Assert.Equal("70.00", account["debtOutstanding"]!.GetValue<string>());
    }
}

public sealed class DebtRecoverySqliteTests(SqliteServer server) : DebtRecoveryTests(server), IClassFixture<SqliteServer>;

public sealed class DebtRecoveryPostgresTests(PostgresServer server) : DebtRecoveryTests(server), IClassFixture<PostgresServer>;
