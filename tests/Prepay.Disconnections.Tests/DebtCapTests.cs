using System.Net.Http.Json;
using System.Text;
using NodaTime.Text;
using Prepay.Policy.Presets;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Disconnections.Tests;

/// <summary>
/// "The most a top-up may take for debt" is the policy's, not only the tariff's: a tariff taking 95 % of each
/// purchase for debt takes at most 90 % where the household's site is under the South African municipal preset
/// (cap 90 %), and its full share where the policy in force states no cap (the test servers' default policy).
/// </summary>
public abstract class DebtCapTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string GreedyDebtTariff(string code) => FlatTariff(code).Replace(
        "\"taxes\"", "\"debtRecovery\": { \"percent\": \"95\" },\n  \"taxes\"", StringComparison.Ordinal);

    private async Task<Scenario> IndebtedAsync(bool underMunicipalPolicy)
    {
        server.Clock.Reset(InstantPattern.ExtendedIso.Parse("2027-01-04T08:00:00Z").Value);
        var s = await CreateAsync(server, tariff: GreedyDebtTariff);
        using var admin = server.Client();
        await ApproveAsync(server, await Ok(await admin.PostAsJsonAsync($"/api/v1/customers/{s.CustomerId}/debts",
            new { amount = "500.00", currency = "ZAR", reason = "arrears before prepayment" }, Ct)));
        if (underMunicipalPolicy)
        {
            var code = "ZA-" + s.Suffix;
            var json = PolicyPresets.Json("ZA-MUNICIPAL").Replace("\"code\": \"ZA-MUNICIPAL\"", $"\"code\": \"{code}\"", StringComparison.Ordinal);
            using var body = new StringContent(json, Encoding.UTF8, "application/json");
            await Ok(await admin.PostAsync("/api/v1/disconnection-policies", body, Ct));
            await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode, effectiveFrom = "2027-01-01T00:00:00Z" }, Ct));
        }
        return s;
    }

    [Fact]
    public async Task A_top_up_gives_debt_at_most_the_policys_share_rounded_down()
    {
        var s = await IndebtedAsync(underMunicipalPolicy: true);
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.01", currency = "ZAR" }), Ct));
        // 95 % of 100.01 is 95.01 (rounded up); the policy allows 90 %: 90.009, rounded down to 90.00.
        Assert.Equal("90.00", vend["breakdown"]!["debtRecovered"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_cap_in_the_policy_the_tariffs_share_is_taken()
    {
        var s = await IndebtedAsync(underMunicipalPolicy: false);
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.01", currency = "ZAR" }), Ct));
        Assert.Equal("95.01", vend["breakdown"]!["debtRecovered"]!.GetValue<string>());
    }
}

public sealed class DebtCapSqliteTests(SqliteServer server) : DebtCapTests(server), IClassFixture<SqliteServer>;

public sealed class DebtCapPostgresTests(PostgresServer server) : DebtCapTests(server), IClassFixture<PostgresServer>;
