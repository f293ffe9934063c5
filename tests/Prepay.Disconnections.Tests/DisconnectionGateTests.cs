using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Disconnections.Gate;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Policy.Presets;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Disconnections.Tests;

/// <summary>
/// One gate for every disconnection, on a real server and database. The scenario's meter has its tariff in
/// Africa/Johannesburg (UTC+2, no DST), the zone its site's rules are read in; its site is assigned a copy of the
/// UPPCL preset (no disconnection 18:00 to 08:00, on Sundays or on public holidays). The meter is installed in
/// January 2027, so the preset's 30 days of grace are over by June, when the tests run.
/// </summary>
public abstract class DisconnectionGateTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private void At(string iso) => server.Clock.Reset(InstantPattern.ExtendedIso.Parse(iso).Value);

    private async Task<Scenario> MeterUnderUppclAsync()
    {
        At("2027-01-04T08:00:00Z");
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var code = "UP-" + s.Suffix;
        var json = PolicyPresets.Json("IN-UPPCL").Replace("\"code\": \"IN-UPPCL\"", $"\"code\": \"{code}\"", StringComparison.Ordinal);
        await Ok(await admin.PostAsync("/api/v1/disconnection-policies", new StringContent(json, Encoding.UTF8, "application/json"), Ct));
        await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode, effectiveFrom = "2027-01-01T00:00:00Z" }, Ct));
        return s;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string meter, string type, object? args = null) =>
        client.PostAsJsonAsync($"/api/v1/meters/{meter}/commands", new { type, args, reason = "tamper seal broken" }, Ct);

    private async Task<JsonArray> CommandsAsync(string meter)
    {
        using var admin = server.Client();
        return (await Ok(await admin.GetAsync($"/api/v1/meters/{meter}/commands", Ct))).AsArray();
    }

    private async Task<JsonArray> DecisionsAsync(string meter)
    {
        using var admin = server.Client();
        return (await Ok(await admin.GetAsync($"/api/v1/meters/{meter}/disconnection-decisions", Ct))).AsArray();
    }

    private static IEnumerable<JsonNode> OfType(JsonArray commands, string type) => commands.Where(c => c!["type"]!.GetValue<string>() == type)!;

    private Task<int> ReleaseDueAsync() => server.Services.GetRequiredService<HeldDisconnections>().ReleaseDueAsync(Ct);

    /// <summary>Waits (up to a deadline fit for a busy machine) until the dispatcher has moved the meter's command of <paramref name="type"/> out of the queue.</summary>
    private async Task<JsonNode> DispatchedAsync(string meter, string type)
    {
        var dispatcher = server.Services.GetRequiredService<CommandDispatcher>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            dispatcher.Wake();
            var command = OfType(await CommandsAsync(meter), type).FirstOrDefault();
            if (command is not null && command["state"]!.GetValue<string>() != "queued")
            {
                return command;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The {type} command of meter {meter} was not dispatched: {command?.ToJsonString() ?? "none queued"}; "
                + $"server errors: {string.Join(" | ", server.Logs.Errors.Select(e => e.ToString()))}");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task An_operator_disconnect_in_a_friendly_window_is_refused_with_its_rule_and_goes_out_when_the_window_ends()
    {
        var s = await MeterUnderUppclAsync();
        // Wednesday 9 June 2027, 20:00 in Johannesburg: inside the evening window, which ends Thursday 08:00 (06:00Z).
        At("2027-06-09T18:00:00Z");
        using var admin = server.Client();
        var refused = await SendAsync(admin, s.MeterNumber, "disconnect");
        var problem = await Json(refused);
        Status(HttpStatusCode.Conflict, refused, problem.ToJsonString());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:prepay:problem:disconnection-held", problem["type"]!.GetValue<string>());
        Assert.Equal("friendlyHours.wednesday", problem["rule"]!.GetValue<string>());
        Assert.Equal("2027-06-10T06:00:00Z", problem["retryAt"]!.GetValue<string>());
        Assert.Empty(OfType(await CommandsAsync(s.MeterNumber), "disconnect"));

        // Still inside the window: asked again, nothing goes.
        At("2027-06-10T05:59:00Z");
        await ReleaseDueAsync();
        Assert.Empty(OfType(await CommandsAsync(s.MeterNumber), "disconnect"));

        At("2027-06-10T06:00:00Z");
        await ReleaseDueAsync();
        var sent = await DispatchedAsync(s.MeterNumber, "disconnect");
        Assert.Equal("sent", sent["state"]!.GetValue<string>());
        Assert.Equal("api: tamper seal broken", sent["reference"]!.GetValue<string>());

        var decisions = await DecisionsAsync(s.MeterNumber);
        var held = Assert.Single(decisions, d => d!["verdict"]!.GetValue<string>() == "deny")!;
        Assert.Equal("released", held["state"]!.GetValue<string>());
        Assert.Equal(sent["id"]!.GetValue<Guid>(), held["commandId"]!.GetValue<Guid>());
        var allowed = Assert.Single(decisions, d => d!["verdict"]!.GetValue<string>() == "allow")!;
        Assert.Equal("policy.allows", allowed["rule"]!.GetValue<string>());
        Assert.Equal(sent["id"]!.GetValue<Guid>(), allowed["commandId"]!.GetValue<Guid>());
        Assert.Equal("2027-06-10T06:00:00Z", allowed["at"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_override_needs_a_second_admin_and_then_goes_out_inside_the_window()
    {
        var s = await MeterUnderUppclAsync();
        // Sunday 13 June 2027, noon in Johannesburg: no disconnection all day.
        At("2027-06-13T10:00:00Z");
        using var admin = server.Client();
        var refused = await Json(await SendAsync(admin, s.MeterNumber, "disconnect"));
        Assert.Equal("friendlyHours.sunday", refused["rule"]!.GetValue<string>());
        var decision = refused["decision"]!.GetValue<Guid>();

        var noReason = await admin.PostAsJsonAsync($"/api/v1/disconnection-decisions/{decision}/override", new { reason = " " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var asked = await Ok(await admin.PostAsJsonAsync($"/api/v1/disconnection-decisions/{decision}/override", new { reason = "live wire exposed at the meter box" }, Ct));
        Assert.Equal("disconnect-override", asked["kind"]!.GetValue<string>());
        var own = await admin.PostAsync($"/api/v1/approvals/{asked["id"]}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Empty(OfType(await CommandsAsync(s.MeterNumber), "disconnect"));

        using var approver = server.Client(await server.ApproverKeyAsync());
        var approved = await Ok(await approver.PostAsync($"/api/v1/approvals/{asked["id"]}/approve", null, Ct));
        Assert.Equal("approved", approved["state"]!.GetValue<string>().ToLowerInvariant());
        var sent = await DispatchedAsync(s.MeterNumber, "disconnect");
        Assert.Equal("sent", sent["state"]!.GetValue<string>());

        var decisions = await DecisionsAsync(s.MeterNumber);
        var over = Assert.Single(decisions, d => d!["verdict"]!.GetValue<string>() == "override")!;
        Assert.Equal(decision, over["overridesDecision"]!.GetValue<Guid>());
        Assert.Equal(sent["id"]!.GetValue<Guid>(), over["commandId"]!.GetValue<Guid>());
        // The reason is staff's: in the note, not in the sentence the customer reads.
        Assert.Contains("live wire exposed", over["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("live wire", over["sentence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Your supply was cut on a decision of two administrators", over["sentence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("overridden", decisions.Single(d => d!["id"]!.GetValue<Guid>() == decision)!["state"]!.GetValue<string>());
        // The window is the same; the override is what let it through, so the dispatcher recorded no allow.
        Assert.DoesNotContain(decisions, d => d!["verdict"]!.GetValue<string>() == "allow");

        var again = await admin.PostAsJsonAsync($"/api/v1/disconnection-decisions/{decision}/override", new { reason = "once more" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_protected_household_is_refused_for_good_and_a_held_disconnect_is_withdrawn_by_a_connect()
    {
        var s = await MeterUnderUppclAsync();
        using var admin = server.Client();
        At("2027-06-09T18:00:00Z");
        var held = await Json(await SendAsync(admin, s.MeterNumber, "disconnect"));
        Assert.Equal("urn:prepay:problem:disconnection-held", held["type"]!.GetValue<string>());
        await Ok(await SendAsync(admin, s.MeterNumber, "connect"));

        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}", new { name = "Thandi Nkosi " + s.Suffix, @protected = true }, Ct));
        // Thursday 10:00 in Johannesburg: no window; the household is protected now.
        At("2027-06-10T08:00:00Z");
        var refused = await SendAsync(admin, s.MeterNumber, "disconnect");
        var problem = await Json(refused);
        Status(HttpStatusCode.Conflict, refused, problem.ToJsonString());
        Assert.Equal("urn:prepay:problem:disconnection-refused", problem["type"]!.GetValue<string>());
        Assert.Equal("protected.vulnerable", problem["rule"]!.GetValue<string>());
        Assert.Null(problem["retryAt"]?.GetValue<string>());

        await ReleaseDueAsync();
        Assert.Empty(OfType(await CommandsAsync(s.MeterNumber), "disconnect"));
        var decisions = await DecisionsAsync(s.MeterNumber);
        Assert.Equal(["refused", "withdrawn"], decisions.Select(d => d!["state"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task A_disconnect_queued_by_any_other_path_is_withdrawn_by_the_dispatcher_and_holds_back_no_later_command()
    {
        var s = await MeterUnderUppclAsync();
        At("2027-06-09T18:00:00Z");
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var meterId = db.Meters.Single(m => m.MeterNumber == s.MeterNumber).Id;
            CommandQueue.Enqueue(db, meterId, s.MeterNumber, new Disconnect(), server.Clock.GetCurrentInstant(), CutReasons.ReferencePrefix.CentralCredit + "exhausted");
            // Saved apart: the queue numbers commands in the order they are inserted.
            await db.SaveChangesAsync(Ct);
            CommandQueue.Enqueue(db, meterId, s.MeterNumber, new ReadNow(), server.Clock.GetCurrentInstant(), "test: after the disconnect");
            await db.SaveChangesAsync(Ct);
        }
        var withdrawn = await DispatchedAsync(s.MeterNumber, "disconnect");
        Assert.Equal("cancelled", withdrawn["state"]!.GetValue<string>());
        Assert.Contains("friendlyHours.wednesday", withdrawn["outcome"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sent", (await DispatchedAsync(s.MeterNumber, "readNow"))["state"]!.GetValue<string>());

        var held = Assert.Single(await DecisionsAsync(s.MeterNumber))!;
        Assert.Equal("creditExhausted", held["reason"]!.GetValue<string>());
        Assert.Equal("held", held["state"]!.GetValue<string>());
        Assert.StartsWith("Your supply was not cut when your credit ran out because", held["sentence"]!.GetValue<string>(), StringComparison.Ordinal);

        At("2027-06-10T06:00:00Z");
        await ReleaseDueAsync();
        var resent = OfType(await CommandsAsync(s.MeterNumber), "disconnect").ToList();
        Assert.Equal(2, resent.Count);
        Assert.Contains(resent, c => c["reference"]!.GetValue<string>() == "central-credit: exhausted" && c["state"]!.GetValue<string>() != "cancelled");
    }

    [Fact]
    public async Task Thresholds_that_take_away_emergency_credit_and_a_zero_power_limit_token_pass_the_policy()
    {
        var s = await MeterUnderUppclAsync();
        using var admin = server.Client();
        At("2027-06-13T10:00:00Z");
        var thresholds = await Json(await SendAsync(admin, s.MeterNumber, "setThresholds", new { lowCreditWh = 5000, emergencyCreditWh = 0 }));
        Assert.Equal("friendlyHours.sunday", thresholds["rule"]!.GetValue<string>());
        Assert.StartsWith("Your meter's settings were not changed", thresholds["sentence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("queued", (await Ok(await SendAsync(admin, s.MeterNumber, "setThresholds", new { lowCreditWh = 5000, emergencyCreditWh = 2000 })))["state"]!.GetValue<string>());

        var token = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/meters/{s.MeterNumber}/tokens")
        {
            Content = JsonContent.Create(new { kind = "setMaximumPowerLimit", value = 0, reason = "overload" }),
        };
        token.Headers.Add("Idempotency-Key", "power-" + s.Suffix);
        var refused = await admin.SendAsync(token, Ct);
        var problem = await Json(refused);
        Status(HttpStatusCode.Conflict, refused, problem.ToJsonString());
        Assert.Equal("friendlyHours.sunday", problem["rule"]!.GetValue<string>());
        var decision = Assert.Single(await DecisionsAsync(s.MeterNumber), d => d!["reason"]!.GetValue<string>() == "managementToken")!;
        Assert.Equal("refused", decision["state"]!.GetValue<string>());
    }
}

public sealed class DisconnectionGateSqliteTests(ShippedPolicySqliteServer server) : DisconnectionGateTests(server), IClassFixture<ShippedPolicySqliteServer>;

public sealed class DisconnectionGatePostgresTests(ShippedPolicyPostgresServer server) : DisconnectionGateTests(server), IClassFixture<ShippedPolicyPostgresServer>;
