using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Findings.Tests;

/// <summary>
/// Findings end to end on a real server: a site of four smart meters whose records hold a cover opened, an outage of
/// the whole site and a vend whose credit the meter never acknowledged; the run stores each once with its evidence
/// and alerts operators, a second run brings them up to date and repeats nothing, staff move a finding on with a
/// reason (audited, each move checked), a dismissed episode is not found again, and a vendor may not look.
/// </summary>
public abstract class FindingsTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_stores_what_the_records_show_once_alerts_operators_and_staff_move_findings_on_with_a_reason()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var meters = new List<string> { s.MeterNumber };
        for (var i = 1; i <= 3; i++)
        {
            var number = s.MeterNumber[..^2] + (50 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Ok(await admin.PostAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises", new { label = $"U-{i}" }, Ct));
            await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = number, mode = "smart", currency = "ZAR", tariffCode = s.TariffCode }, Ct));
            await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{number}/installation", new { site = s.SiteCode, unit = $"U-{i}" }, Ct));
            meters.Add(number);
        }
        var now = server.Clock.GetCurrentInstant();
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "50.00", currency = "ZAR" }), Ct));
        var vendId = vend["id"]!.GetValue<Guid>().ToString();
        // Two days of readings on every meter (so none is silent), the site's outage, and a cover opened on the first.
        await RecordAsync(meters, now - Duration.FromDays(1), now + Duration.FromDays(2));
        await EventsAsync(meters.Select((m, i) => (m, now - Duration.FromHours(20) + Duration.FromSeconds(40 * i), "powerOutage"))
            .Concat(meters.Select(m => (m, now - Duration.FromHours(19), "powerRestored")))
            .Append((s.MeterNumber, now - Duration.FromHours(10), "coverOpen")));
        server.Clock.Advance(Duration.FromDays(2)); // past the day a smart meter has to acknowledge its credit

        var first = await Ok(await admin.PostAsync("/api/v1/findings/run", null, Ct));
        var second = await Ok(await admin.PostAsync("/api/v1/findings/run", null, Ct));

        Assert.Equal(3, first["made"]!.GetValue<int>());
        Assert.Equal((0, 3), (second["made"]!.GetValue<int>(), second["updated"]!.GetValue<int>()));
        var found = (await Ok(await admin.GetAsync($"/api/v1/findings?site={s.SiteCode}", Ct))).AsArray().Select(f => f!).ToList();
        Assert.Equal(["creditNotRegistered", "siteOutage", "tamper"], found.Select(f => f["kind"]!.GetValue<string>()).Order());
        var tamper = found.Single(f => f["kind"]!.GetValue<string>() == "tamper");
        Assert.Equal((s.MeterNumber, "open"), (tamper["meter"]!.GetValue<string>(), tamper["state"]!.GetValue<string>()));
        Assert.Equal("coverOpen", Assert.Single(tamper["evidence"]!.AsArray())!["detail"]!.GetValue<string>());
        var outage = found.Single(f => f["kind"]!.GetValue<string>() == "siteOutage");
        Assert.Null(outage["meter"]);
        Assert.Equal(4, outage["evidence"]!.AsArray().Count);
        Assert.Equal(vendId, found.Single(f => f["kind"]!.GetValue<string>() == "creditNotRegistered")["subject"]!.GetValue<string>());
        Assert.Equal(3, await AlertsAsync(s.SiteCode));

        var id = tamper["id"]!.GetValue<long>();
        var investigating = await Ok(await admin.PostAsJsonAsync($"/api/v1/findings/{id}/state", new { state = "investigating", reason = "Technician booked for Tuesday" }, Ct));
        Assert.Equal(("investigating", "Technician booked for Tuesday"), (investigating["state"]!.GetValue<string>(), investigating["stateReason"]!.GetValue<string>()));
        await ProblemAsync(await admin.PostAsJsonAsync($"/api/v1/findings/{id}/state", new { state = "dismissed" }, Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await admin.PostAsJsonAsync($"/api/v1/findings/{id}/state", new { state = "open", reason = "again" }, Ct), HttpStatusCode.BadRequest);
        await Ok(await admin.PostAsJsonAsync($"/api/v1/findings/{id}/state", new { state = "dismissed", reason = "Cover opened by our own technician" }, Ct));
        await ProblemAsync(await admin.PostAsJsonAsync($"/api/v1/findings/{id}/state", new { state = "confirmed", reason = "changed my mind" }, Ct), HttpStatusCode.Conflict);
        await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/findings/999999999/state", new { state = "confirmed", reason = "x" }, Ct), HttpStatusCode.NotFound);
        Assert.Equal(2, await AuditedAsync(id));

        var third = await Ok(await admin.PostAsync("/api/v1/findings/run", null, Ct));
        Assert.Equal((0, 2), (third["made"]!.GetValue<int>(), third["updated"]!.GetValue<int>()));
        Assert.Equal("dismissed", (await Ok(await admin.GetAsync($"/api/v1/findings/{id}", Ct)))["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/v1/findings", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsync("/api/v1/findings/run", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_console_lists_a_sites_findings_with_their_evidence_and_an_operator_moves_one_with_a_reason()
    {
        var s = await CreateAsync(server, mode: "smart");
        var now = server.Clock.GetCurrentInstant();
        await RecordAsync([s.MeterNumber], now - Duration.FromHours(6), now);
        await EventsAsync([(s.MeterNumber, now - Duration.FromHours(2), "magneticTamper")]);
        using var admin = server.Client();
        await Ok(await admin.PostAsync("/api/v1/findings/run", null, Ct));

        using var staff = await Browser.OperatorAsync(server);
        var page = $"/console/findings?site={s.SiteCode}";
        var html = await staff.GetStringAsync(page, Ct);
        var id = (await Ok(await admin.GetAsync($"/api/v1/findings?site={s.SiteCode}&kind=tamper", Ct))).AsArray().Single()!["id"]!.GetValue<long>();
        Assert.Contains($"id=\"finding-{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("magneticTamper", html, StringComparison.Ordinal);
        Assert.Contains("id=\"site-meters\"", html, StringComparison.Ordinal);
        var token = await Browser.FormTokenAsync(staff, page);
        using var refused = await staff.PostAsync(page + "&handler=Move", Form(id, "confirmed", "", token), Ct);
        Assert.Contains("reason: is required", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var moved = await staff.PostAsync(page + "&handler=Move", Form(id, "confirmed", "Magnet found on the meter at the visit", token), Ct);
        Assert.Contains($"Finding {id} (tamper) is now confirmed.", await moved.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var after = await Ok(await admin.GetAsync($"/api/v1/findings/{id}", Ct));
        Assert.Equal(("confirmed", "Magnet found on the meter at the visit"), (after["state"]!.GetValue<string>(), after["stateReason"]!.GetValue<string>()));
        Assert.StartsWith("operator:person/", after["stateBy"]!.GetValue<string>(), StringComparison.Ordinal);
        // Open or under investigation by default: a confirmed finding leaves the default list.
        Assert.DoesNotContain($"id=\"finding-{id}\"", await staff.GetStringAsync(page, Ct), StringComparison.Ordinal);
        Assert.Contains($"id=\"finding-{id}\"", await staff.GetStringAsync(page + "&state=confirmed", Ct), StringComparison.Ordinal);
        using var customer = await Browser.CustomerAsync(server, s.CustomerId);
        Assert.NotEqual(HttpStatusCode.OK, (await customer.GetAsync("/console/findings", Ct)).StatusCode);

        static FormUrlEncodedContent Form(long id, string to, string reason, string token) => new(new Dictionary<string, string>
        {
            ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["to"] = to, ["reason"] = reason, ["__RequestVerificationToken"] = token,
        });
    }

    private static async Task ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_token_the_head_end_delivered_is_one_credit_though_the_meter_also_reports_accepting_it()
    {
        // A smart meter with an STS decoder: its vend's token goes as a deliverToken command, which the meter
        // acknowledges, and the meter's own tokenAccepted event (via Remote) reports the same token.
        var s = await CreateAsync(server, mode: "smart", stsDecoder: true);
        var now = server.Clock.GetCurrentInstant();
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "50.00", currency = "ZAR" }), Ct));
        await RecordAsync([s.MeterNumber], now - Duration.FromDays(1), now + Duration.FromDays(2));
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var reference = CreditCommandReference.For(vend["id"]!.GetValue<Guid>());
            var command = await db.MeterCommands.SingleAsync(c => c.Reference == reference, Ct);
            Assert.Equal("deliverToken", command.Type);
            var at = now + Duration.FromMinutes(1);
            Assert.Equal(1, await Prepay.HeadEnd.Commands.CommandQueue.AcknowledgeAsync(db, s.MeterNumber,
                new Prepay.MeterLink.Uplinks.CommandAcknowledgement(command.Id, Prepay.MeterLink.Uplinks.AcknowledgementResult.Applied, null, at), at, Ct));
            db.MeterEvents.Add(new MeterEventRecord
            {
                MeterId = command.MeterId, At = at, ReceivedAt = at, Type = "tokenAccepted",
                Details = $$"""{"description":"credit","tokenWh":{{vend["energyWh"]!.GetValue<long>()}},"creditAddedWh":{{vend["energyWh"]!.GetValue<long>()}},"via":"Remote"}""",
            });
            await db.SaveChangesAsync(Ct);
        }
        server.Clock.Advance(Duration.FromDays(2));
        using var admin = server.Client();
        await Ok(await admin.PostAsync("/api/v1/findings/run", null, Ct));
        var found = (await Ok(await admin.GetAsync($"/api/v1/findings?site={s.SiteCode}", Ct))).AsArray().Select(f => f!["kind"]!.GetValue<string>()).ToList();
        Assert.Empty(found);
    }

    private async Task RecordAsync(IEnumerable<string> meters, Instant from, Instant to)
    {
        foreach (var m in meters)
        {
            await MeterRecords.ReadingsAsync(server, m, from - Duration.FromMinutes(15), to, Duration.FromMinutes(15), _ => 120, powerW: 480);
        }
    }

    private Task EventsAsync(IEnumerable<(string Meter, Instant At, string Type)> events) => MeterRecords.EventsAsync(server, events);

    private async Task<int> AlertsAsync(string site)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.OperatorAlerts.CountAsync(a => a.Type.StartsWith("finding.") && a.Details!.StartsWith(site + ":"), Ct);
    }

    private async Task<int> AuditedAsync(long id)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.Audit.CountAsync(a => a.Action == FindingStates.AuditAction && a.Target == $"finding/{id}", Ct);
    }
}

public sealed class FindingsSqliteTests(FindingsSqliteServer server) : FindingsTests(server), IClassFixture<FindingsSqliteServer>;

public sealed class FindingsPostgresTests(FindingsPostgresServer server) : FindingsTests(server), IClassFixture<FindingsPostgresServer>;
