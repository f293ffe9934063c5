using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Storage.Records.Payments;
using Prepay.Vending;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// The customer portal in a real browser against a real server with the demo dataset: the demo customer (SUNRISE
/// A-101, meter 10000000001, two weeks of history) tops up through the sandbox checkout and gets a token, sees usage,
/// the tariff and a quote, sets alerts, and cannot open anyone else's meter.
/// </summary>
public sealed partial class PortalPagesTests(WebFixture web) : IClassFixture<WebFixture>
{
    private const string OwnMeter = "10000000001";
    private const string NeighboursMeter = "10000000002";

    [GeneratedRegex(@"^\d{4} \d{4} \d{4} \d{4} \d{4}$")]
    private static partial Regex GroupedToken();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Customer_tops_up_through_the_sandbox_checkout_and_gets_a_token()
    {
        var page = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "portal-topup");
        await page.GotoAsync("/portal");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My electricity" })).ToBeVisibleAsync();
        var card = page.Locator($"[data-meter='{OwnMeter}']");
        await Expect(card.Locator("[data-fact=credit]")).ToContainTextAsync("kWh");
        await Expect(card.Locator("[data-fact=days-left]")).ToContainTextAsync(new Regex(@"About \d+ days?"));
        await Expect(card.Locator("[data-fact=relay]")).ToContainTextAsync("On");
        await CustomerPages.ScreenshotAsync(page, "portal");

        await card.GetByRole(AriaRole.Link, new() { Name = "Top up, usage and tokens" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/portal/meters/{OwnMeter}$"));
        var before = await page.Locator("#tokens tbody tr").CountAsync();
        Assert.True(before >= 4, $"{before} purchases in the demo history");
        await CustomerPages.ScreenshotAsync(page, "portal-meter");

        await page.GetByLabel("Amount (ZAR)", new() { Exact = true }).FillAsync("50.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay and top up" }).ClickAsync();
        await CustomerPages.PayByCardAsync(page, "4242 4242 4242 4242", "sandbox-checkout-portal");

        await Expect(page.Locator("#payment-status")).ToContainTextAsync("Payment received and your top-up is done");
        var token = (await page.Locator("#token").InnerTextAsync()).Trim();
        Assert.Matches(GroupedToken(), token);
        await Expect(page.Locator("#receipt-amount")).ToHaveTextAsync("ZAR 50.00");
        await CustomerPages.ScreenshotAsync(page, "payment-result-portal");

        // The purchase is in the history, with its token, and reprints the same.
        await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
        await Expect(page.Locator("#tokens tbody tr")).ToHaveCountAsync(before + 1);
        await CustomerPages.ScreenshotAsync(page, "portal-meter-after-topup");
        var newest = page.Locator("#tokens tbody tr").First;
        await Expect(newest).ToContainTextAsync(token);
        await Expect(page.Locator("#payments")).ToContainTextAsync("paid and delivered");
        await newest.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("#reprint-mark")).ToBeVisibleAsync();
        Assert.Equal(token, (await page.Locator("#token").InnerTextAsync()).Trim());
        await CustomerPages.ScreenshotAsync(page, "portal-token-reprint");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        // Found by its token: the fixture's clock stands still, so other tests' sessions for this meter share its time.
        var vend = await db.Vends.SingleAsync(v => v.Token == token.Replace(" ", "", StringComparison.Ordinal), Ct);
        var session = await db.PaymentSessions.SingleAsync(s => s.VendId == vend.Id, Ct);
        Assert.Equal(PaymentStatus.Vended, session.Status);
        Assert.Equal(OwnMeter, session.MeterNumber);
        Assert.Equal($"pay:sandbox:{session.ProviderPaymentId}", vend.IdempotencyKey);
        Assert.Equal("portal", vend.Channel);
    }

    [Fact]
    public async Task A_declined_card_sells_nothing()
    {
        var page = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "portal-declined");
        await page.GotoAsync($"/portal/meters/{OwnMeter}");
        await CustomerPages.ScreenshotAsync(page, "portal-meter-before-decline");
        var vendsBefore = await VendCountAsync(OwnMeter);
        await page.GetByLabel("Amount (ZAR)", new() { Exact = true }).FillAsync("20.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay and top up" }).ClickAsync();
        await CustomerPages.PayByCardAsync(page, "4000 0000 0000 0002", "sandbox-checkout-declined");
        await Expect(page.Locator("#payment-status")).ToContainTextAsync("declined");
        await Expect(page.Locator("#token")).ToHaveCountAsync(0);
        await CustomerPages.ScreenshotAsync(page, "payment-result-declined");
        Assert.Equal(vendsBefore, await VendCountAsync(OwnMeter));
    }

    [Fact]
    public async Task Usage_tariff_and_quote_are_shown_for_the_customers_meter()
    {
        var page = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "portal-usage");
        await page.GotoAsync($"/portal/meters/{OwnMeter}");
        await Expect(page.Locator("#table-daily tbody tr")).ToHaveCountAsync(14);
        await CustomerPages.ScreenshotAsync(page, "portal-usage");
        await Expect(page.Locator("#table-hourly tbody tr")).ToHaveCountAsync(24);
        // Chart.js drew the daily chart (the canvas got its size from the library, not from the page).
        Assert.True(await page.Locator("#chart-daily").EvaluateAsync<bool>("c => window.Chart !== undefined && Chart.getChart(c) !== undefined"));
        var used = await page.Locator("#table-daily tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.Contains(used, kwh => decimal.Parse(kwh, System.Globalization.CultureInfo.InvariantCulture) > 0);
        await Expect(page.Locator("#tariff")).ToContainTextAsync("The first 50 kWh of the month");
        await Expect(page.Locator("#tariff")).ToContainTextAsync("Prices include VAT at 15 %");

        var vendsBefore = await VendCountAsync(OwnMeter);
        await page.GetByLabel("What would this amount buy now? (ZAR)").FillAsync("100.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show a quote" }).ClickAsync();
        await Expect(page.Locator("#quote-energy")).ToHaveTextAsync(new Regex(@"^\d+(\.\d+)? kWh$"));
        await Expect(page.Locator("#quote")).ToContainTextAsync("Kept on your account for next time");
        await CustomerPages.ScreenshotAsync(page, "portal-quote");
        Assert.Equal(vendsBefore, await VendCountAsync(OwnMeter)); // a quote sells nothing
    }

    [Fact]
    public async Task A_disconnection_the_policy_refused_is_explained_to_the_customer()
    {
        // An operator's disconnect on Monday morning: the demo's meters have no policy assigned, and the shipped
        // default refuses every Monday.
        using (var ops = new HttpClient { BaseAddress = web.BaseAddress })
        {
            ops.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", web.Keys.Operator);
            var refused = await ops.PostAsJsonAsync($"/api/v1/meters/{OwnMeter}/commands", new { type = "disconnect", reason = "meter audit" }, Ct);
            Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
        }
        var page = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "portal-supply");
        await page.GotoAsync($"/portal/meters/{OwnMeter}");
        await Expect(page.Locator("#supply-decisions")).ToContainTextAsync("Your supply was not cut as requested because");
        await Expect(page.Locator("#supply-decisions")).ToContainTextAsync("Monday");
        // The neighbour's meter had nothing refused: no such section there for its customer, nor leaked here.
        Assert.Equal(1, await page.Locator("#supply-decisions li").CountAsync());
    }

    [Fact]
    public async Task A_customer_whose_credit_is_held_centrally_sees_the_balance_on_their_meter_page()
    {
        // The second unit of the industrial park (a smart meter), switched to central credit now; it hands its register over at once.
        const string meter = "10000000022";
        Guid customerId;
        await using (var scope = web.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            customerId = (await (from p in db.Premises join s in db.Sites on p.SiteId equals s.Id
                                 where s.Code == "TECHPARK" && p.Label == "U-102" select p.CustomerId).SingleAsync(Ct))!.Value;
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Prepay.Storage.Records.People.PersonAccount>>();
            await Prepay.Server.Web.People.PeopleAccounts.EnsureAsync(users, "central-customer", "central-customer-password-8Lm",
                Prepay.Storage.Records.People.PeopleRoles.Customer, customerId: customerId);
        }
        using (var admin = new HttpClient { BaseAddress = web.BaseAddress })
        {
            admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", web.Keys.Admin);
            var switched = await admin.PutAsJsonAsync($"/api/v1/meters/{meter}/credit-model", new { model = "central", reason = "moved to central credit" }, Ct);
            Assert.True(switched.IsSuccessStatusCode, await switched.Content.ReadAsStringAsync(Ct));
        }
        await web.Services.GetRequiredService<Prepay.HeadEnd.Ingest.MeterMessageHandler>().IngestAsync(meter, new Prepay.MeterLink.Uplinks.MeterEvents(
            [new Prepay.MeterLink.Uplinks.MeterEvent(web.Clock.GetCurrentInstant(), "creditHandedOver", "{\"creditWh\":2000,\"emergencyOwedWh\":0}")]), Ct);
        var page = await CustomerPages.SignInAsync(web, "central-customer", "central-customer-password-8Lm", "portal-central");
        await page.GotoAsync($"/portal/meters/{meter}");
        await Expect(page.Locator("#central-balance")).ToContainTextAsync("Your credit is kept on our side");
        await Expect(page.Locator("[data-fact=central-balance]")).ToHaveTextAsync(new Regex(@"^ZAR \d+\.\d\d$"));
        await Expect(page.Locator("[data-fact=central-today]")).ToHaveTextAsync("ZAR 0.00");
        // A meter holding its own credit shows no such section.
        var own = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "portal-own-credit");
        await own.GotoAsync($"/portal/meters/{OwnMeter}");
        await Expect(own.Locator("[data-fact=credit]")).ToBeVisibleAsync();
        Assert.Equal(0, await own.Locator("#central-balance").CountAsync());
    }

    [Fact]
    public async Task Customer_saves_alert_settings_where_the_alerts_module_reads_them()
    {
        var page = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "portal-alerts");
        await page.GotoAsync("/portal/alerts");
        await CustomerPages.ScreenshotAsync(page, "portal-alerts");
        var sms = page.Locator("#channel-sms");
        await sms.GetByLabel("Send me alerts by sms").CheckAsync();
        await sms.GetByLabel("Warn when credit is worth less than (ZAR)").FillAsync("25.00");
        await sms.GetByLabel("or when it will last this many days or fewer").FillAsync("3");
        await page.Locator("#channel-email").GetByLabel("Send to").FillAsync("not an address");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save alert settings" }).ClickAsync();
        await Expect(page.Locator("#alerts-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#email-address-error")).ToContainTextAsync("email address");
        await CustomerPages.ScreenshotAsync(page, "portal-alerts-invalid");

        await page.Locator("#channel-email").GetByLabel("Send to").FillAsync("thandi@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save alert settings" }).ClickAsync();
        await Expect(page.Locator("#alerts-saved")).ToBeVisibleAsync();
        await CustomerPages.ScreenshotAsync(page, "portal-alerts-saved");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var customerId = await db.Premises.Where(p => p.Label == "A-101").Select(p => p.CustomerId).FirstAsync(Ct);
        var stored = await db.NotificationPreferences.Where(p => p.CustomerId == customerId).ToListAsync(Ct);
        var smsRow = stored.Single(p => p.Channel == NotificationChannel.Sms);
        Assert.True(smsRow.Enabled);
        Assert.Equal(2500, smsRow.LowCreditThresholdMinor);
        Assert.Equal(3, smsRow.LowCreditDays);
        Assert.Equal("thandi@example.org", stored.Single(p => p.Channel == NotificationChannel.Email).Address);
        // Audited with the settings before and after, addresses included.
        var audit = await db.Audit.Where(a => a.Action == "portal.alerts.update" && a.Target == $"customer/{customerId}").OrderByDescending(a => a.Id).FirstAsync(Ct);
        Assert.StartsWith("customer:", audit.Actor, StringComparison.Ordinal);
        var (before, after) = (audit.Details!.Split(" -> ")[0], audit.Details.Split(" -> ")[1]);
        Assert.DoesNotContain("sms=on", before, StringComparison.Ordinal);
        Assert.Contains("email=on thandi@example.org", after, StringComparison.Ordinal);
        Assert.Contains("sms=on low<2500 3d", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_cannot_open_another_customers_meter_by_editing_the_address()
    {
        var neighboursVend = await VendAsync(NeighboursMeter, "30.00");
        var page = await CustomerPages.SignInAsync(web, web.Logins.Customer.UserName, web.Logins.Customer.Password, "portal-other");

        var meter = await page.GotoAsync($"/portal/meters/{NeighboursMeter}");
        Assert.Equal(404, meter!.Status);
        await CustomerPages.ScreenshotAsync(page, "portal-other-meter");
        var content = await page.ContentAsync();
        Assert.DoesNotContain("Sipho", content, StringComparison.Ordinal);
        Assert.DoesNotContain("Credit on the meter", content, StringComparison.Ordinal);
        Assert.DoesNotContain("A-102", content, StringComparison.Ordinal);

        // Their token, by its vend id, under their meter or under one's own: not found either way.
        foreach (var address in new[] { $"/portal/meters/{NeighboursMeter}/tokens/{neighboursVend.Id}", $"/portal/meters/{OwnMeter}/tokens/{neighboursVend.Id}" })
        {
            var response = await page.GotoAsync(address);
            Assert.Equal(404, response!.Status);
            Assert.DoesNotContain(neighboursVend.Token!, await page.ContentAsync(), StringComparison.Ordinal);
        }
        await CustomerPages.ScreenshotAsync(page, "portal-other-token");

        // A clerk's or an anonymous visitor's way in does not work either.
        var anonymous = await web.NewPageAsync();
        await anonymous.GotoAsync($"/portal/meters/{OwnMeter}");
        await Expect(anonymous).ToHaveURLAsync(new Regex("/login\\?ReturnUrl="));
        await CustomerPages.ScreenshotAsync(anonymous, "portal-anonymous-sent-to-sign-in");
        await CustomerPages.ScreenshotAsync(anonymous, "portal-anonymous-sent-to-sign-in");
        var clerk = await CustomerPages.SignInAsync(web, web.Logins.Clerk.UserName, web.Logins.Clerk.Password, "portal-clerk", web.Logins.Clerk.AuthenticatorKey);
        var refused = await clerk.GotoAsync("/portal");
        Assert.Equal(403, refused!.Status);
        await CustomerPages.ScreenshotAsync(clerk, "portal-refused-clerk");
    }

    private async Task<int> VendCountAsync(string meterNumber)
    {
        await using var scope = web.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Vends.CountAsync(v => v.MeterNumber == meterNumber, Ct);
    }

    /// <summary>A purchase for another customer's meter, made by the app vendor beside the pages.</summary>
    private async Task<VendResponse> VendAsync(string meterNumber, string amount)
    {
        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var app = await db.Vendors.Where(v => v.Code == Prepay.Server.Demo.DemoData.AppVendor).Select(v => v.Id).SingleAsync(Ct);
        var (command, _) = VendCommand.From("portal-test-" + Guid.NewGuid().ToString("N"), new VendRequest(meterNumber, null, null, amount, "ZAR", null, null), 10_000_000);
        var outcome = await web.Services.GetRequiredService<VendingService>().VendAsync(command!, new Actor(Guid.Empty, "test", Role.App, app, null), Ct);
        return Assert.IsType<VendOutcome.Created>(outcome).Vend;
    }
}
