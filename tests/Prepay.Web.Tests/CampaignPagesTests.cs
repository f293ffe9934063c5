using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using Prepay.Simulator.Fleet;
using Prepay.Storage;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// Key change campaigns in the operator console, against a real server: planned through the form (a refused form
/// first, which plans nothing), followed on the campaign's page (chart, counts, CSV), paused and resumed, and a
/// keypad meter's key change, issued with its next vend, handed over again and confirmed.
/// </summary>
public sealed class CampaignPagesTests(WebFixture web) : IClassFixture<WebFixture>
{
    /// <summary>The demo's dormitory: ten token (keypad) meters.</summary>
    private const string Site = "UNIDORM";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_plans_a_campaign_for_a_site_follows_it_pauses_resumes_and_confirms_a_keypad_meter()
    {
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, web.Logins.Operator);
        await page.GotoAsync("/console");
        await page.GetByRole(AriaRole.Link, new() { Name = "Campaigns", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/campaigns$"));
        await Expect(page.Locator("#campaigns-none")).ToBeVisibleAsync();

        // Two scopes and no reason: refused beside the fields, nothing written.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Dormitory key change");
        await page.GetByLabel("New key revision").FillAsync("2");
        await page.GetByLabel("Supply group code", new() { Exact = true }).FillAsync("123456");
        await page.GetByLabel("Site code").FillAsync(Site);
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan campaign" }).ClickAsync();
        await Expect(page.Locator("#plan-error")).ToContainTextAsync("Nothing was planned");
        await Expect(page.Locator("#reason-error")).ToContainTextAsync("Reason is required");
        await Expect(page.Locator("#meters-error")).ToContainTextAsync("exactly one");
        await Expect(page.GetByLabel("Reason (kept in the audit log)")).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The campaigns page with a refused form");
        await using (var scope = web.Services.CreateAsyncScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PrepayDb>().KeyChangeCampaigns.CountAsync(Ct));
        }

        // The start in the console's zone (Africa/Johannesburg, UTC+2), an hour before the fixture's clock: in force now.
        await page.GetByLabel("Reason (kept in the audit log)").FillAsync("vending key rotated");
        await page.GetByLabel("Supply group code", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Start (local time, Africa/Johannesburg)").FillAsync("2026-11-23T09:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan campaign" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/campaigns/[0-9a-f-]{36}"));
        await Expect(page.Locator("#campaign-message")).ToHaveTextAsync("Campaign planned.");

        var (id, meters) = await CampaignMetersAsync();
        var sites = meters.Select(m => m.Site).Distinct().ToList();
        Assert.Equal(10, meters.Count);
        Assert.Equal(Site, Assert.Single(sites));
        await Expect(page.Locator("#campaign-state")).ToHaveTextAsync("active");
        await Expect(page.Locator("#campaign-start")).ToHaveTextAsync("2026-11-23 09:00 +02:00");
        await Expect(page.Locator("#campaign-target")).ToHaveTextAsync("key revision 2");
        await Expect(page.Locator("#chart-sites")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-sites g.bar")).ToHaveCountAsync(sites.Count);
        await Expect(page.Locator($"#chart-sites g.bar[data-group={Site}] rect.segment[data-state=planned]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#count-planned")).ToHaveTextAsync(meters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#count-total")).ToHaveTextAsync("10");
        await Expect(page.Locator("#meters tbody tr")).ToHaveCountAsync(10);
        await WebFixture.ScreenshotAsync(page, "console-campaign-planned");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "A planned campaign");

        await page.GotoAsync("/console/campaigns");
        await Expect(page.Locator($"#campaign-{id}")).ToContainTextAsync("Dormitory key change");
        await Expect(page.Locator($"#campaign-{id}")).ToContainTextAsync("0 / 10");
        await WebFixture.ScreenshotAsync(page, "console-campaigns");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The campaigns list");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dormitory key change" }).ClickAsync();

        await page.GetByLabel("Why pause (kept in the audit log)").FillAsync("customer complaints, checking receipts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause campaign" }).ClickAsync();
        await Expect(page.Locator("#campaign-state")).ToHaveTextAsync("paused");
        await Expect(page.Locator("#campaign-message")).ToContainTextAsync("paused");
        await page.GetByLabel("Why resume (kept in the audit log)").FillAsync("receipts checked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume campaign" }).ClickAsync();
        await Expect(page.Locator("#campaign-state")).ToHaveTextAsync("active");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download meters still to visit (CSV)" }).ClickAsync());
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!, Ct);
        Assert.Equal("meter,site,supply_group,kind,state,issued_at,deliveries,last_delivery", lines[0]);
        Assert.Equal(meters.Select(m => m.Number).Order(), lines.Skip(1).Select(l => l.Split(',')[0]).Order());
        Assert.All(lines.Skip(1), l => Assert.Contains($",{Site},", l, StringComparison.Ordinal));

        // Resumed, so the order is back: the next vend to a meter carries its key change tokens first.
        var first = meters[0].Number;
        using (var vendor = new PrepayApi(web.BaseAddress, web.Keys.Vendor))
        {
            var vend = await vendor.VendAsync(first, 30, "ZAR", "campaign-page-vend", Ct);
            Assert.True(vend.Ok, vend.Error);
        }
        await page.GotoAsync($"/console/campaigns/{id}?state=issued");
        await Expect(page.Locator("#meters tbody tr")).ToHaveCountAsync(1);
        var row = page.Locator($"#meter-{first}");
        await Expect(row.Locator(".meter-state")).ToHaveTextAsync("Issued");
        await Expect(page.Locator("#count-issued")).ToHaveTextAsync("1");

        await row.GetByLabel("Why issue again").FillAsync("customer lost the receipt");
        await row.GetByRole(AriaRole.Button, new() { Name = "Re-issue" }).ClickAsync();
        await Expect(page.Locator("#campaign-message")).ToContainTextAsync("to hand over again");
        await Expect(page.Locator("#reissued-token-1")).ToHaveTextAsync(new Regex(@"^\d{4} \d{4} \d{4} \d{4} \d{4}$"));
        var reissuedTokens = await page.Locator("#reissued .token").AllInnerTextsAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "A campaign with re-issued tokens and a meter to confirm");

        row = page.Locator($"#meter-{first}");
        await row.GetByLabel("Why confirm").FillAsync("field agent saw KRN 2 on the display");
        await row.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(page.Locator("#campaign-message")).ToContainTextAsync($"Meter {first} is confirmed");
        await Expect(page.Locator("#count-confirmed")).ToHaveTextAsync("1");
        await Expect(page.Locator("#meters-none")).ToBeVisibleAsync(); // the filter still shows issued meters: none left
        await page.GotoAsync($"/console/campaigns/{id}?state=confirmed");
        await Expect(page.Locator($"#meter-{first}")).ToContainTextAsync("field agent saw KRN 2");
        await WebFixture.ScreenshotAsync(page, "console-campaign-confirmed");

        await using var check = web.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<PrepayDb>();
        var campaign = await db.KeyChangeCampaigns.SingleAsync(c => c.Id == id, Ct);
        Assert.Equal(Instant.FromUtc(2026, 11, 23, 7, 0), campaign.StartsAt);
        var audit = await db.Audit.Where(a => a.Target == $"campaign/{id}").OrderBy(a => a.Id).Select(a => new { a.Action, a.Actor }).ToListAsync(Ct);
        Assert.Equal(new[] { "campaign.plan", "campaign.pause", "campaign.resume", "campaign.reissue-meter", "campaign.confirm-meter" }, audit.Select(a => a.Action));
        // The tokens shown again are the ones issued with the vend, every one of them, in order.
        var issued = await db.KeyChangeCampaignMeters.Where(m => m.CampaignId == id && m.MeterNumber == first).Select(m => m.Tokens).SingleAsync(Ct);
        Assert.Equal(issued!.Split(' ').Select(Prepay.Server.Web.Pos.TokenFormat.Grouped), reissuedTokens);
        Assert.All(audit, a => Assert.Equal("operator:person/operator", a.Actor));
    }

    private async Task<(Guid Id, List<(string Number, string? Site)> Meters)> CampaignMetersAsync()
    {
        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var id = await db.KeyChangeCampaigns.Select(c => c.Id).SingleAsync(Ct);
        var meters = await db.KeyChangeCampaignMeters.Where(m => m.CampaignId == id).OrderBy(m => m.MeterNumber).Select(m => new { m.MeterNumber, m.SiteCode }).ToListAsync(Ct);
        return (id, [.. meters.Select(m => (m.MeterNumber, m.SiteCode))]);
    }
}
