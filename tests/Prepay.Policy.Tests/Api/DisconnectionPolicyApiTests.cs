using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Policy.Presets;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Policy.Tests.Api;

/// <summary>
/// Publishing, listing and assigning disconnection policies over HTTP, and the "may I cut this meter now?" preview,
/// on a real server and database. The scenario's meter has a tariff in Africa/Johannesburg (UTC+2, no DST): the
/// site's zone the preview decides in.
/// </summary>
public abstract class DisconnectionPolicyApiTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Preset(string code, string newCode) =>
        PolicyPresets.Json(code).Replace($"\"code\": \"{code}\"", $"\"code\": \"{newCode}\"", StringComparison.Ordinal);

    private async Task<HttpClient> OperatorAsync(string suffix)
    {
        using var admin = server.Client();
        var key = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ops-" + suffix, role = "operator" }, Ct));
        return server.Client(key["key"]!.GetValue<string>());
    }

    private async Task<int> StoredVersionsAsync(string code)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.DisconnectionPolicies.CountAsync(p => p.Code == code, Ct)
               + await db.Audit.CountAsync(a => a.Target.StartsWith("disconnection-policy/" + code + "/"), Ct);
    }

    private static async Task<JsonNode> Decision(HttpClient client, string meter, string at, string reason = "creditExhausted") =>
        await Ok(await client.GetAsync($"/api/v1/meters/{meter}/disconnection-decision?at={at}&reason={reason}", Ct));

    [Fact]
    public async Task A_bad_document_is_refused_with_its_JSON_path_and_nothing_is_written()
    {
        server.SkipUnlessAvailable();
        var code = "BAD-" + Guid.NewGuid().ToString("N")[..6];
        var json = Preset("ZA-MUNICIPAL", code).Replace(
            "\"saturday\": [{ \"start\": \"00:00\", \"end\": \"24:00\" }]",
            "\"saturday\": [{ \"start\": \"00:00\", \"end\": \"08:00\" }, { \"start\": \"18:00\", \"end\": \"06:00\" }]", StringComparison.Ordinal);
        using var admin = server.Client();
        var response = await admin.PostAsync("/api/v1/disconnection-policies", JsonContent(json), Ct);
        var body = await Json(response);
        Status(HttpStatusCode.BadRequest, response, body.ToJsonString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("$.friendlyHours.saturday[1].end: must be after start", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredVersionsAsync(code));
    }

    [Fact]
    public async Task Only_an_admin_publishes_and_assigns_while_an_operator_reads()
    {
        var s = await CreateAsync(server);
        using var ops = await OperatorAsync(s.Suffix);
        var code = "ZA-" + s.Suffix;
        var refused = await ops.PostAsync("/api/v1/disconnection-policies", JsonContent(Preset("ZA-MUNICIPAL", code)), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, await StoredVersionsAsync(code));

        using var admin = server.Client();
        var published = await Ok(await admin.PostAsync("/api/v1/disconnection-policies", JsonContent(Preset("ZA-MUNICIPAL", code)), Ct));
        Assert.Equal(1, published["version"]!.GetValue<int>());
        Assert.Equal("Africa/Johannesburg", published["timeZone"]!.GetValue<string>());
        var again = await admin.PostAsync("/api/v1/disconnection-policies", JsonContent(Preset("ZA-MUNICIPAL", code)), Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var versions = await Ok(await ops.GetAsync($"/api/v1/disconnection-policies/{code}", Ct));
        Assert.Single(versions.AsArray());
        var document = await ops.GetStringAsync($"/api/v1/disconnection-policies/{code}/versions/1", Ct);
        Assert.Contains("Public Holidays Act 36 of 1994", document, StringComparison.Ordinal);
        Assert.Contains(code, (await Ok(await ops.GetAsync("/api/v1/disconnection-policies", Ct))).ToJsonString(), StringComparison.Ordinal);

        var assignByOperator = await ops.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, assignByOperator.StatusCode);
    }

    [Fact]
    public async Task A_meter_without_a_policy_is_decided_by_the_conservative_default()
    {
        var s = await CreateAsync(server);
        using var ops = await OperatorAsync(s.Suffix);
        // Wednesday 9 June 2027, 11:00 in Johannesburg: inside the default's Tuesday-to-Thursday 10:00 to 14:00.
        var allowed = await Decision(ops, s.MeterNumber, "2027-06-09T09:00:00Z");
        Assert.Equal("allow", allowed["decision"]!.GetValue<string>());
        Assert.Equal(PolicyPresets.Default, allowed["policy"]!.GetValue<string>());
        Assert.Equal("default", allowed["policySource"]!.GetValue<string>());
        Assert.Equal("Africa/Johannesburg", allowed["timeZone"]!.GetValue<string>());
        var saturday = await Decision(ops, s.MeterNumber, "2027-06-12T09:00:00Z", "operatorCommand");
        Assert.Equal("deny", saturday["decision"]!.GetValue<string>());
        Assert.Equal("friendlyHours.saturday", saturday["rule"]!.GetValue<string>());
        Assert.Equal("2027-06-15T08:00:00Z", saturday["nextAllowedAt"]!.GetValue<string>());
        Assert.StartsWith("Your supply was not cut as requested because", saturday["sentence"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_site_s_policy_decides_and_a_customer_s_own_policy_wins_over_it()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        using var ops = await OperatorAsync(s.Suffix);
        var za = "ZA-" + s.Suffix;
        var up = "UP-" + s.Suffix;
        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", JsonContent(Preset("ZA-MUNICIPAL", za)), Ct));
        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", JsonContent(Preset("IN-UPPCL", up)), Ct));
        await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = za, site = s.SiteCode, effectiveFrom = "2027-01-01T00:00:00Z" }, Ct));

        // Friday 11 June 2027: 15:59 in Johannesburg is business hours, 16:00 is not, until Monday 08:00.
        Assert.Equal("allow", (await Decision(ops, s.MeterNumber, "2027-06-11T13:59:00Z"))["decision"]!.GetValue<string>());
        var friday = await Decision(ops, s.MeterNumber, "2027-06-11T14:00:00Z");
        Assert.Equal("friendlyHours.friday", friday["rule"]!.GetValue<string>());
        Assert.Equal(za, friday["policy"]!.GetValue<string>());
        Assert.Equal("site", friday["policySource"]!.GetValue<string>());
        Assert.Equal("2027-06-14T06:00:00Z", friday["nextAllowedAt"]!.GetValue<string>());
        Assert.Equal("holiday.ZA.2027-03-22", (await Decision(ops, s.MeterNumber, "2027-03-22T10:00:00Z"))["rule"]!.GetValue<string>());

        // Monday 7 June 2027, 17:00 local: the site's policy refuses after 16:00, the customer's (UPPCL's hours) not before 18:00.
        Assert.Equal("friendlyHours.monday", (await Decision(ops, s.MeterNumber, "2027-06-07T15:00:00Z"))["rule"]!.GetValue<string>());
        await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = up, customer = s.CustomerId, effectiveFrom = "2027-06-01T00:00:00Z" }, Ct));
        var customer = await Decision(ops, s.MeterNumber, "2027-06-07T15:00:00Z");
        Assert.Equal("allow", customer["decision"]!.GetValue<string>());
        Assert.Equal("customer", customer["policySource"]!.GetValue<string>());
        Assert.Equal(up, customer["policy"]!.GetValue<string>());
        // Before the customer's assignment took effect, the site's policy still answers for that instant.
        Assert.Equal(za, (await Decision(ops, s.MeterNumber, "2027-05-31T15:00:00Z"))["policy"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_protected_customer_is_never_cut_and_is_told_why()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        using var ops = await OperatorAsync(s.Suffix);
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}", new { name = "Thandi Nkosi " + s.Suffix, @protected = true }, Ct));
        var decision = await Decision(ops, s.MeterNumber, "2027-06-09T09:00:00Z", "api");
        Assert.Equal("deny", decision["decision"]!.GetValue<string>());
        Assert.Equal("protected.vulnerable", decision["rule"]!.GetValue<string>());
        Assert.Null(decision["nextAllowedAt"]);
        Assert.True(decision["protected"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_questions_are_refused_as_problems()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/disconnection-decision?reason=because", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/disconnection-decision?at=tomorrow", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/meters/0000000000000/disconnection-decision", Ct)).StatusCode);
        var code = "ZA-" + s.Suffix;
        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", JsonContent(Preset("ZA-MUNICIPAL", code)), Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = "NO-SUCH-SITE" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = "NEVER-PUBLISHED", site = s.SiteCode }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode, customer = s.CustomerId }, Ct)).StatusCode);
    }
}

public sealed class DisconnectionPolicyApiSqliteTests(ShippedPolicySqliteServer server) : DisconnectionPolicyApiTests(server), IClassFixture<ShippedPolicySqliteServer>;

public sealed class DisconnectionPolicyApiPostgresTests(ShippedPolicyPostgresServer server) : DisconnectionPolicyApiTests(server), IClassFixture<ShippedPolicyPostgresServer>;
