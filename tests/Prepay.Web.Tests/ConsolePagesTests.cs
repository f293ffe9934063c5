using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using Prepay.Meter.Registers;
using Prepay.Simulator.Fleet;
using Prepay.Storage;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// The operator console against a real server: a simulated smart meter on MQTT runs out of credit and is topped up
/// while the operator watches its page, which follows without being reloaded; commands, tariffs, floats, sales, audit.
/// </summary>
public sealed class ConsolePagesTests(WebFixture web) : IClassFixture<WebFixture>
{
    /// <summary>TECHPARK U-101, a smart meter of the demo dataset (credit by command).</summary>
    private const string SmartMeter = "10000000021";

    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 45_000 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IPage> SignedInAsync(Prepay.Server.Demo.DemoData.DemoLogin login)
    {
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, login);
        return page;
    }

    [Fact]
    public async Task An_operator_watches_a_smart_meter_disconnect_at_zero_and_reconnect_after_a_vend_without_reloading()
    {
        await using var meter = await SimulatedMeter.StartAsync(web, SmartMeter, initialCreditWh: 4_000, loadScalePercent: 300);
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync($"/console/meters/{SmartMeter}");
        await Expect(page.Locator("#status-relay")).ToHaveTextAsync("Connected", Live);
        await Expect(page.Locator("#status-online")).ToHaveTextAsync("Online", Live);
        // A mark only this page load carries: if the page were reloaded, it would be gone.
        await page.EvaluateAsync("() => { window.sameLoad = 'yes'; }");
        await WebFixture.ScreenshotAsync(page, "console-meter-connected");

        await meter.RunUntilAsync(web.Clock, m => m.Relay == RelayState.Disconnected, Duration.FromDays(3));
        Assert.Equal(RelayState.Disconnected, await meter.Agent.ReadAsync(m => m.Relay, Ct));
        await Expect(page.Locator("#status-relay")).ToHaveTextAsync("Disconnected", Live);
        await Expect(page.Locator("#events")).ToContainTextAsync("relayOpened", new() { Timeout = 45_000 });
        await Expect(page.Locator("#events")).ToContainTextAsync("creditExhausted");
        await Expect(page.Locator("#readings tr").First).ToBeAttachedAsync();
        await page.SetViewportSizeAsync(1280, 800);
        await WebFixture.ScreenshotAsync(page, "console-meter-disconnected");

        // The fleet overview counts it among the disconnected and lists it.
        var overview = await page.Context.NewPageAsync();
        await overview.GotoAsync("/console");
        await Expect(overview.Locator("#count-disconnected")).Not.ToHaveTextAsync("0");
        await Expect(overview.Locator("#attention")).ToContainTextAsync(SmartMeter);
        await WebFixture.ScreenshotAsync(overview, "console-overview");

        using (var vendor = new PrepayApi(web.BaseAddress, web.Keys.Vendor))
        {
            // The first vend of the month also pays COM-TOU's 450.00 network charge.
            var vend = await vendor.VendAsync(SmartMeter, 600, "ZAR", "console-test-topup", Ct);
            Assert.True(vend.Ok, vend.Error);
            Assert.True(vend.EnergyWh > 0);
        }
        await Expect(page.Locator("#status-relay")).ToHaveTextAsync("Connected", Live);
        await Expect(page.Locator("#commands")).ToContainTextAsync("addCredit");
        await Expect(page.Locator("#commands tr").First).ToContainTextAsync("Acknowledged", new() { Timeout = 45_000 });
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.sameLoad"));
        Assert.Equal(RelayState.Connected, await meter.Agent.ReadAsync(m => m.Relay, Ct));
        await page.SetViewportSizeAsync(1280, 800);
        await WebFixture.ScreenshotAsync(page, "console-meter-reconnected");

        // The overview follows too, without a reload.
        await overview.EvaluateAsync("() => { window.sameLoad = 'yes'; }");
        await Expect(overview.Locator("#attention")).Not.ToContainTextAsync(SmartMeter, new() { Timeout = 45_000 });
        Assert.Equal("yes", await overview.EvaluateAsync<string>("() => window.sameLoad"));
    }

    [Fact]
    public async Task An_operator_sends_a_read_now_command_with_a_reason_and_it_is_queued_and_audited()
    {
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console/meters/10000000022");
        await page.GetByLabel("Read now").CheckAsync();
        await page.GetByLabel("Reason (kept in the audit log)").FillAsync("customer disputes the bill");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send command" }).ClickAsync();
        await Expect(page.Locator("#meter-message")).ToContainTextAsync("Read now queued");
        await Expect(page.Locator("#commands")).ToContainTextAsync("readNow");
        await Expect(page.Locator("#commands")).ToContainTextAsync("operator: customer disputes the bill");
        // Only admins add credit, and only by selling it.
        await Expect(page.Locator("#credit-admin-only")).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, "console-meter-command");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var audit = await db.Audit.Where(a => a.Action == "meter.command" && a.Target == "meter/10000000022").SingleAsync(Ct);
        Assert.Equal("operator:person/operator", audit.Actor);
        Assert.Equal("readNow: customer disputes the bill", audit.Details);
        Assert.Equal(1, await db.MeterCommands.CountAsync(c => c.MeterNumber == "10000000022" && c.Type == "readNow", Ct));
    }

    [Fact]
    public async Task A_command_without_a_reason_is_not_sent()
    {
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console/meters/10000000023");
        await page.GetByLabel("Disconnect", new() { Exact = true }).CheckAsync();
        await page.Locator("#command-reason").EvaluateAsync("e => e.removeAttribute('required')");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send command" }).ClickAsync();
        await Expect(page.Locator("#meter-error")).ToContainTextAsync("Give a reason");
        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(0, await db.MeterCommands.CountAsync(c => c.MeterNumber == "10000000023", Ct));
    }

    [Fact]
    public async Task A_disconnect_the_policy_refuses_is_not_sent_names_its_rule_and_an_admin_may_ask_to_override_it()
    {
        // Monday 23 November 2026, 10:00 in Johannesburg: the demo's meters have no policy assigned, and the shipped
        // default allows a disconnection only Tuesday to Thursday, 10:00 to 14:00.
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console/meters/10000000020");
        await page.GetByLabel("Disconnect", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Reason (kept in the audit log)").FillAsync("meter box tampered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send command" }).ClickAsync();
        await Expect(page.Locator("#meter-error")).ToContainTextAsync("refuses it now (friendlyHours.monday)");
        await Expect(page.Locator("#meter-error")).ToContainTextAsync("It is held and sent at 2026-11-24 10:00");
        await Expect(page.Locator("#decisions")).ToContainTextAsync("friendlyHours.monday");
        await Expect(page.Locator("#decisions")).ToContainTextAsync("held");
        // An operator does not override.
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Ask to override" }).CountAsync());
        await WebFixture.ScreenshotAsync(page, "console-meter-disconnect-held");

        // A protected household (the demo's fourth unit of each site) is refused for good, not held.
        await page.GotoAsync("/console/meters/10000000014");
        await page.GetByLabel("Disconnect", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Reason (kept in the audit log)").FillAsync("meter box tampered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send command" }).ClickAsync();
        await Expect(page.Locator("#meter-error")).ToContainTextAsync("not retried");
        await Expect(page.Locator("#meter-error")).ToContainTextAsync("protected.vulnerable");

        await using (var scope = web.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            Assert.Equal(0, await db.MeterCommands.CountAsync(c => (c.MeterNumber == "10000000020" || c.MeterNumber == "10000000014") && c.Type == "disconnect", Ct));
            Assert.Equal("disconnect held (friendlyHours.monday): meter box tampered",
                (await db.Audit.SingleAsync(a => a.Action == "meter.command" && a.Target == "meter/10000000020", Ct)).Details);
        }

        var admin = await SignedInAsync(web.Logins.Admin);
        await admin.GotoAsync("/console/meters/10000000020");
        await admin.Locator("#decisions").GetByPlaceholder("Reason").FillAsync("exposed wiring, safety");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Ask to override" }).ClickAsync();
        await Expect(admin.Locator("#meter-message")).ToContainTextAsync("Override asked; another administrator approves it");
        await using (var scope = web.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var request = await db.MoneyApprovals.SingleAsync(a => a.Kind == Prepay.Storage.Records.Approvals.ApprovalKind.DisconnectOverride, Ct);
            Assert.Equal("exposed wiring, safety", request.Reason);
            Assert.Equal(0, await db.MeterCommands.CountAsync(c => c.MeterNumber == "10000000020" && c.Type == "disconnect", Ct));
        }
    }

    [Fact]
    public async Task An_admin_asks_for_goodwill_credit_which_waits_for_another_admin()
    {
        var page = await SignedInAsync(web.Logins.Admin);
        await page.GotoAsync("/console/meters/10000000005");
        await page.GetByLabel("Amount (ZAR)").FillAsync("20.00");
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("goodwill after outage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask for goodwill credit" }).ClickAsync();
        await Expect(page.Locator("#meter-message")).ToContainTextAsync("Asked for ZAR 20.00 of goodwill credit");
        await WebFixture.ScreenshotAsync(page, "console-meter-credit");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var request = await db.MoneyApprovals.SingleAsync(a => a.Target == "meter/10000000005", Ct);
        Assert.Equal(Prepay.Storage.Records.Approvals.ApprovalKind.GoodwillCredit, request.Kind);
        Assert.Equal(2000, request.AmountMinor);
        Assert.False(await db.Vends.AnyAsync(v => v.MeterNumber == "10000000005" && v.Channel == "goodwill", Ct));
        // On the approvals page the admin sees their own request without the buttons.
        await page.GotoAsync("/console/approvals");
        await Expect(page.Locator($"#approval-{request.Id}")).ToContainTextAsync("Yours");
        Assert.Equal(0, await page.Locator($"#approve-{request.Id}").CountAsync());
    }

    [Fact]
    public async Task The_tariff_editor_shows_the_first_problem_previews_a_quote_and_publishes_a_new_version()
    {
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console/tariffs");
        await WebFixture.ScreenshotAsync(page, "console-tariffs");
        await page.GetByRole(AriaRole.Link, new() { Name = "RES-FLAT" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/tariffs/RES-FLAT$"));
        var draft = await page.GetByLabel("Tariff document (JSON)").InputValueAsync();
        Assert.Contains("\"version\": 2", draft, StringComparison.Ordinal);

        await page.GetByLabel("Tariff document (JSON)").FillAsync(draft.Replace("\"2.85\"", "\"-1\"", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish new version" }).ClickAsync();
        await Expect(page.Locator("#tariff-error")).ToContainTextAsync("energy.rate");
        await WebFixture.ScreenshotAsync(page, "console-tariff-invalid");

        await page.GetByLabel("Tariff document (JSON)").FillAsync(draft.Replace("\"2.85\"", "\"3.10\"", StringComparison.Ordinal));
        await page.GetByLabel("Preview: what this amount buys under the draft").FillAsync("31.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview a quote" }).ClickAsync();
        await Expect(page.Locator("#quote-gross")).ToHaveTextAsync("ZAR 31.00");
        // The draft's rate includes VAT: 31.00 buys 10 kWh at 3.10, where the published 2.85 would buy 10.8.
        await Expect(page.Locator("#quote-energy")).ToHaveTextAsync("10.000 kWh");
        await WebFixture.ScreenshotAsync(page, "console-tariff-preview");

        await page.GetByLabel("Takes effect on (the tariff's local date)").FillAsync("2026-12-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish new version" }).ClickAsync();
        await Expect(page.Locator("#published")).ToHaveTextAsync("Version 2 of RES-FLAT is published.");
        await Expect(page.Locator("#versions tr").First).ToContainTextAsync("2026-12-01");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var v2 = await db.Tariffs.SingleAsync(t => t.Code == "RES-FLAT" && t.Version == 2, Ct);
        Assert.Equal(new LocalDate(2026, 12, 1), v2.EffectiveFrom);
        Assert.Contains("3.10", v2.Document, StringComparison.Ordinal);
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "tariff.publish" && a.Target == "tariff/RES-FLAT/2" && a.Actor == "operator:person/operator", Ct));
    }

    [Fact]
    public async Task Vendors_floats_take_a_deposit_once_and_sales_download_as_csv()
    {
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console/vendors");
        var before = await page.Locator("#float-PREPAY-APP").InnerTextAsync();
        await page.GetByLabel("Vendor", new() { Exact = true }).SelectOptionAsync("PREPAY-APP");
        await page.GetByLabel("Amount paid in").FillAsync("1000.00");
        await page.GetByLabel("Payment reference").FillAsync("bank 2026-11-23 #17");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask for approval" }).ClickAsync();
        await Expect(page.Locator("#vendors-message")).ToContainTextAsync("Asked for ZAR 1000.00 into PREPAY-APP's float");
        Assert.Equal(before, await page.Locator("#float-PREPAY-APP").InnerTextAsync());
        await WebFixture.ScreenshotAsync(page, "console-vendors");

        // The admin, a second person, approves it on the approvals page; the float grows then, once.
        Guid requestId;
        await using (var scope = web.Services.CreateAsyncScope())
        {
            requestId = await scope.ServiceProvider.GetRequiredService<PrepayDb>().MoneyApprovals
                .Where(a => a.Reason.Contains("bank 2026-11-23 #17")).Select(a => a.Id).SingleAsync(Ct);
        }
        var admin = await SignedInAsync(web.Logins.Admin);
        await admin.GotoAsync("/console/approvals");
        await Expect(admin.Locator($"#approval-{requestId}")).ToContainTextAsync("person/operator");
        await WebFixture.ScreenshotAsync(admin, "console-approvals");
        await admin.Locator($"#approve-{requestId}").ClickAsync();
        await Expect(admin.Locator("#approvals-message")).ToContainTextAsync("Approved: float-deposit of ZAR 1000.00");
        await Expect(admin.Locator($"#approval-{requestId}")).ToHaveCountAsync(0);
        await page.GotoAsync("/console/vendors");
        Assert.NotEqual(before, await page.Locator("#float-PREPAY-APP").InnerTextAsync());

        using (var vendor = new PrepayApi(web.BaseAddress, web.Keys.Vendor))
        {
            Assert.True((await vendor.VendAsync("10000000007", 40, "ZAR", "console-sales-1", Ct)).Ok);
        }
        await page.GotoAsync("/console/sales");
        await Expect(page.Locator("#sales-days")).ToContainTextAsync("ZAR");
        await WebFixture.ScreenshotAsync(page, "console-sales");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the vends as CSV" }).ClickAsync());
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path!, Ct);
        Assert.Equal("vend_id,at,vendor,meter,kind,channel,currency,amount,energy_wh,reversed", lines[0]);
        Assert.Contains(lines, l => l.Contains(",CORNER-SHOP,10000000007,Credit,", StringComparison.Ordinal) && l.Contains(",ZAR,40.00,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Payments_taken_but_not_vended_are_vended_again_or_recorded_refunded_from_the_console()
    {
        // Two online payments whose vends were refused earlier (an empty float, say) for UNIDORM.
        var retried = await FailedPaymentAsync("10000000018", "pay_console_retry");
        var refunded = await FailedPaymentAsync("10000000019", "pay_console_refund");
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console");
        await page.GetByRole(AriaRole.Link, new() { Name = "Payments" }).ClickAsync();
        await Expect(page.Locator($"#payment-{retried}")).ToContainTextAsync("float was empty");
        await Expect(page.Locator($"#payment-{refunded}")).ToContainTextAsync("10000000019");
        await WebFixture.ScreenshotAsync(page, "console-payments");

        // Vend again, with the reason the audit log keeps: the vend is made and the payment leaves the list.
        var row = page.Locator($"#payment-{retried}");
        await row.GetByLabel("Why vend again").FillAsync("float topped up");
        await row.GetByRole(AriaRole.Button, new() { Name = "Vend again" }).ClickAsync();
        await Expect(page.Locator("#payments-message")).ToContainTextAsync("pay_console_retry is vended now");
        await Expect(page.Locator($"#payment-{retried}")).ToHaveCountAsync(0);

        var other = page.Locator($"#payment-{refunded}");
        await other.GetByLabel("Refund reference").FillAsync("rf-console-1");
        await other.GetByLabel("Why refunded").FillAsync("customer asked for the money back");
        await other.GetByRole(AriaRole.Button, new() { Name = "Record refund" }).ClickAsync();
        await Expect(page.Locator("#payments-message")).ToContainTextAsync("recorded as refunded");
        await page.GotoAsync("/console/payments?status=refunded");
        await Expect(page.Locator($"#payment-{refunded}")).ToBeVisibleAsync();

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var vend = await db.Vends.SingleAsync(v => v.IdempotencyKey == "pay:sandbox:pay_console_retry", Ct);
        Assert.Equal("10000000018", vend.MeterNumber);
        Assert.Equal(0, await db.Vends.CountAsync(v => v.IdempotencyKey == "pay:sandbox:pay_console_refund", Ct));
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "payment.refunded" && a.Details!.Contains("rf-console-1"), Ct));
    }

    [Fact]
    public async Task An_operator_acknowledges_a_meter_alert_from_the_console_with_a_note()
    {
        // A tamper alert as the head-end raises it for SUNRISE A-110's meter.
        long id;
        Instant raised;
        await using (var scope = web.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var meter = await db.Meters.SingleAsync(m => m.MeterNumber == "10000000010", Ct);
            var now = web.Clock.GetCurrentInstant();
            raised = now - Duration.FromMinutes(5);
            var alert = new Prepay.Storage.Records.Alerts.OperatorAlert
            {
                MeterId = meter.Id, MeterNumber = meter.MeterNumber, Type = "coverOpen", At = raised, Details = "terminal cover", RaisedAt = now,
            };
            db.OperatorAlerts.Add(alert);
            await db.SaveChangesAsync(Ct);
            id = alert.Id;
        }
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console");
        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts", Exact = true }).ClickAsync();
        var row = page.Locator($"#alert-{id}");
        await Expect(row).ToContainTextAsync("coverOpen");
        // In the zone the demo's tariffs share (Africa/Johannesburg, UTC+2 all year), not UTC. The fixture's clock is
        // wherever earlier tests left it, so the expected text is made from the instant itself.
        var local = raised.InZone(DateTimeZoneProviders.Tzdb["Africa/Johannesburg"]).LocalDateTime;
        await Expect(row).ToContainTextAsync(NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm").Format(local) + " +02:00");
        await WebFixture.ScreenshotAsync(page, "console-alerts");

        await row.GetByLabel("Note (optional)").FillAsync("technician sent, job 4411");
        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.Locator("#alerts-message")).ToContainTextAsync("coverOpen on meter 10000000010");
        await Expect(page.Locator($"#alert-{id}")).ToHaveCountAsync(0);
        await page.GotoAsync("/console/alerts?all=true");
        await Expect(page.Locator($"#alert-{id}")).ToContainTextAsync("operator:person/");

        await using var check = web.Services.CreateAsyncScope();
        var audit = await check.ServiceProvider.GetRequiredService<PrepayDb>().Audit.SingleAsync(a => a.Action == "alert.acknowledge" && a.Target == $"alert/{id}", Ct);
        Assert.Contains("job 4411", audit.Details, StringComparison.Ordinal);
    }

    private async Task<Guid> FailedPaymentAsync(string meterNumber, string paymentId)
    {
        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meter = await db.Meters.SingleAsync(m => m.MeterNumber == meterNumber, Ct);
        var now = web.Clock.GetCurrentInstant();
        var session = new Prepay.Storage.Records.Payments.PaymentSession
        {
            Id = Guid.CreateVersion7(), Provider = "sandbox", Status = Prepay.Storage.Records.Payments.PaymentStatus.VendFailed, Origin = Prepay.Payments.Checkout.PaymentOrigins.Recharge,
            IdempotencyKey = "console-" + paymentId, RequestHash = new string('0', 64), AccessKey = Guid.NewGuid().ToString("N"),
            MeterId = meter.Id, MeterNumber = meterNumber, CustomerId = Guid.NewGuid(), AmountMinor = 5000, Currency = "ZAR",
            CreatedAt = now, ExpiresAt = now + Duration.FromMinutes(30), ProviderPaymentId = paymentId, DecidedAt = now,
            Failure = "Vendor WEB: the float was empty.",
        };
        db.PaymentSessions.Add(session);
        await db.SaveChangesAsync(Ct);
        return session.Id;
    }

    [Fact]
    public async Task The_audit_log_filters_by_action_and_pages_back()
    {
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console/audit?Action=person.sign-in");
        await Expect(page.Locator("#audit tr").First).ToContainTextAsync("person.sign-in");
        var actions = await page.Locator("#audit tr td:nth-child(3)").AllInnerTextsAsync();
        Assert.All(actions, a => Assert.StartsWith("person.sign-in", a, StringComparison.Ordinal));
        await WebFixture.ScreenshotAsync(page, "console-audit");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        for (var i = 0; i < Prepay.Server.Web.Pages.Operations.AuditModel.PageSize + 5; i++)
        {
            db.Audit.Add(new Prepay.Storage.Records.AuditRecord { At = web.Clock.GetCurrentInstant(), Actor = "test", Action = "test.paging", Target = $"item/{i}" });
        }
        await db.SaveChangesAsync(Ct);
        await page.GotoAsync("/console/audit?Action=test.paging");
        await Expect(page.Locator("#audit tr")).ToHaveCountAsync(Prepay.Server.Web.Pages.Operations.AuditModel.PageSize);
        await Expect(page.Locator("#audit tr").First).ToContainTextAsync($"item/{Prepay.Server.Web.Pages.Operations.AuditModel.PageSize + 4}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Older records" }).ClickAsync();
        await Expect(page.Locator("#audit tr")).ToHaveCountAsync(5);
        await Expect(page.Locator("#audit tr").Last).ToContainTextAsync("item/0");
    }

    [Fact]
    public async Task Customers_sites_and_meters_lists_find_what_is_asked()
    {
        var page = await SignedInAsync(web.Logins.Operator);
        await page.GotoAsync("/console/customers?q=Thandi");
        await Expect(page.Locator("tbody")).ToContainTextAsync("SUNRISE A-101");
        await WebFixture.ScreenshotAsync(page, "console-customers");
        await page.GotoAsync("/console/sites");
        await page.GetByRole(AriaRole.Link, new() { Name = "UNIDORM" }).ClickAsync();
        await Expect(page.Locator("#premises")).ToContainTextAsync("R-110");
        await WebFixture.ScreenshotAsync(page, "console-sites");
        await page.GotoAsync("/console/meters?q=TECHPARK");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(4);
        await WebFixture.ScreenshotAsync(page, "console-meters");
    }
}
