using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Disconnections.Push;
using Prepay.Policy.Presets;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Disconnections.Tests;

/// <summary>
/// Meters that cut themselves are told the rules of the policy in force for them, once, and again when the rules
/// change: a site's policy assigned, the household registered as protected, a new version published.
/// </summary>
public abstract class PolicyPushTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<int> PushAsync() => server.Services.GetRequiredService<PolicyPushes>().PushAllAsync(Ct);

    private async Task<List<JsonNode>> PushedAsync(string meter, string type = "setCreditPolicy")
    {
        using var admin = server.Client();
        var commands = (await Ok(await admin.GetAsync($"/api/v1/meters/{meter}/commands", Ct))).AsArray();
        return [.. commands.Where(c => c!["type"]!.GetValue<string>() == type).Select(c => c!)];
    }

    private static StringContent Policy(string code, int version, string effectiveFrom) => new(
        PolicyPresets.Json("IN-UPPCL").Replace("\"code\": \"IN-UPPCL\"", $"\"code\": \"{code}\"", StringComparison.Ordinal)
            .Replace("\"version\": 1", $"\"version\": {version}", StringComparison.Ordinal)
            .Replace("\"18:00\"", version == 1 ? "\"18:00\"" : "\"17:00\"", StringComparison.Ordinal)
            .Replace("\"effectiveFrom\": \"2026-01-01\"", $"\"effectiveFrom\": \"{effectiveFrom}\"", StringComparison.Ordinal),
        Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_meter_is_told_its_policy_once_and_again_when_the_policy_or_the_household_changes()
    {
        server.Clock.Reset(Instant.FromUtc(2027, 1, 4, 8, 0));
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var code = "UP-" + s.Suffix;
        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", Policy(code, 1, "2027-01-01"), Ct));
        await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode, effectiveFrom = "2027-01-01T00:00:00Z" }, Ct));
        server.Clock.Reset(Instant.FromUtc(2027, 6, 9, 12, 0));

        await PushAsync();
        var first = Assert.Single(await PushedAsync(s.MeterNumber));
        Assert.Equal(code, first["args"]!["policy"]!.GetValue<string>());
        Assert.Equal(0, first["args"]!["protected"]!.GetValue<int>());
        Assert.Contains("2027-01-26", first["args"]!["holidays"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal($"policy: {code} v1", first["reference"]!.GetValue<string>());

        await PushAsync();
        Assert.Single(await PushedAsync(s.MeterNumber));

        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}", new { name = "Thandi Nkosi " + s.Suffix, @protected = true }, Ct));
        server.Clock.Reset(Instant.FromUtc(2027, 6, 9, 12, 5));
        await PushAsync();
        var pushed = await PushedAsync(s.MeterNumber);
        Assert.Equal(2, pushed.Count);
        Assert.Equal(1, pushed[0]["args"]!["protected"]!.GetValue<int>());

        // Version 2 moves the evening window to 17:00 from 1 July; told from then, not before.
        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", Policy(code, 2, "2027-07-01"), Ct));
        await PushAsync();
        Assert.Equal(2, (await PushedAsync(s.MeterNumber)).Count);
        server.Clock.Reset(Instant.FromUtc(2027, 7, 1, 0, 0));
        await PushAsync();
        pushed = await PushedAsync(s.MeterNumber);
        Assert.Equal(3, pushed.Count);
        Assert.Equal(2, pushed[0]["args"]!["version"]!.GetValue<int>());
        Assert.Contains(" 17:00 ", pushed[0]["args"]!["friendlyHours"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private static StringContent EmergencyPolicy(string code, int version, string amount) => new($$"""
        { "code": "{{code}}", "name": "Emergency credit", "version": {{version}}, "effectiveFrom": "2027-01-01",
          "timeZone": "Africa/Johannesburg", "currency": "ZAR", "source": ["test"],
          "emergencyCredit": { "amount": "{{amount}}" } }
        """, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_policys_emergency_credit_is_told_as_the_energy_its_amount_buys_once_and_again_when_it_changes()
    {
        server.Clock.Reset(Instant.FromUtc(2027, 1, 4, 8, 0));
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var code = "EC-" + s.Suffix;
        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", EmergencyPolicy(code, 1, "10.00"), Ct));
        await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode, effectiveFrom = "2027-01-01T00:00:00Z" }, Ct));
        server.Clock.Reset(Instant.FromUtc(2027, 6, 9, 12, 0));

        await PushAsync();
        await PushAsync();
        // 10.00 at 2.00 a kWh, VAT included: 5 kWh, once.
        var told = Assert.Single(await PushedAsync(s.MeterNumber, "setThresholds"));
        Assert.Equal(5_000, told["args"]!["emergencyCreditWh"]!.GetValue<long>());
        Assert.Null(told["args"]!["lowCreditWh"]);
        Assert.Equal("policy: emergency credit", told["reference"]!.GetValue<string>());

        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", EmergencyPolicy(code, 2, "15.00"), Ct));
        await PushAsync();
        var pushed = await PushedAsync(s.MeterNumber, "setThresholds");
        Assert.Equal(2, pushed.Count);
        Assert.Equal(7_500, pushed[0]["args"]!["emergencyCreditWh"]!.GetValue<long>());
    }
}

public sealed class PolicyPushSqliteTests(ShippedPolicySqliteServer server) : PolicyPushTests(server), IClassFixture<ShippedPolicySqliteServer>;

public sealed class PolicyPushPostgresTests(ShippedPolicyPostgresServer server) : PolicyPushTests(server), IClassFixture<ShippedPolicyPostgresServer>;
