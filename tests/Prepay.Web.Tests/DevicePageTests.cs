using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Simulator.Fleet;
using Prepay.Storage;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>The meter in front of you: a simulated token meter's display and keypad, in a real browser.</summary>
public sealed class DevicePageTests(WebFixture web) : IClassFixture<WebFixture>
{
    /// <summary>SUNRISE A-103, an STS keypad meter of the demo dataset.</summary>
    private const string TokenMeter = "10000000003";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_typed_on_the_keypad_raises_the_credit_and_the_same_token_again_is_refused_as_used()
    {
        await using var meter = await SimulatedMeter.StartAsync(web, TokenMeter, initialCreditWh: 0);
        VendOutcome vend;
        using (var vendor = new PrepayApi(web.BaseAddress, web.Keys.Vendor))
        {
            vend = await vendor.VendAsync(TokenMeter, 30, "ZAR", "device-test-1", Ct);
        }
        Assert.True(vend.Ok, vend.Error);
        var token = Assert.Single(vend.Tokens);
        var kwh = (vend.EnergyWh / 1000m).ToString("0.000", CultureInfo.InvariantCulture);

        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, web.Logins.Operator);
        await page.GotoAsync($"/meters/{TokenMeter}/device");
        await Expect(page.Locator("#screen-credit")).ToHaveTextAsync("0.000");
        await Expect(page.Locator("#screen-relay")).ToContainTextAsync("Supply off");
        await Expect(page.Locator("#screen-low")).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, "device-before");

        // Typed on the on-screen keypad, key by key, as at the meter.
        await page.SetViewportSizeAsync(1280, 800);
        foreach (var digit in token)
        {
            await page.Locator($"#keypad [data-key='{digit}']").ClickAsync();
        }
        await Expect(page.GetByLabel("Token (20 digits)")).ToHaveValueAsync(string.Join(' ', token.Chunk(4).Select(c => new string(c))));
        await page.GetByRole(AriaRole.Button, new() { Name = "Enter token" }).ClickAsync();
        await Expect(page.Locator("#verdict-word")).ToHaveTextAsync("ACCEPT");
        await Expect(page.Locator("#verdict-added")).ToHaveTextAsync(kwh + " kWh");
        await Expect(page.Locator("#screen-credit")).ToHaveTextAsync(kwh);
        await Expect(page.Locator("#screen-relay")).ToHaveTextAsync("Supply on");
        await Expect(page.Locator("#screen-keypad")).ToHaveTextAsync("ACCEPT");
        await WebFixture.ScreenshotAsync(page, "device-accepted");

        await page.GetByLabel("Token (20 digits)").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enter token" }).ClickAsync();
        await Expect(page.Locator("#verdict-word")).ToHaveTextAsync("USED");
        await Expect(page.Locator("#verdict-meaning")).ToContainTextAsync("entered on this meter before");
        await Expect(page.Locator("#verdict-added")).ToHaveCountAsync(0);
        await Expect(page.Locator("#screen-credit")).ToHaveTextAsync(kwh);
        await WebFixture.ScreenshotAsync(page, "device-used");

        Assert.Equal(vend.EnergyWh, await meter.Agent.ReadAsync(m => m.CreditWh, Ct));
        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var keyed = await db.Audit.Where(a => a.Action == "device.keypad" && a.Target == $"meter/{TokenMeter}").OrderBy(a => a.Id).Select(a => a.Details).ToListAsync(Ct);
        Assert.Equal([$"token …{token[^4..]}: accept", $"token …{token[^4..]}: used"], keyed);
        Assert.DoesNotContain(keyed, d => d!.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mistyped_token_is_rejected_and_a_short_one_is_not_sent_to_the_meter()
    {
        await using var meter = await SimulatedMeter.StartAsync(web, "10000000013", initialCreditWh: 5_000);
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, web.Logins.Admin);
        await page.GotoAsync("/meters/10000000013/device");
        await page.GetByLabel("Token (20 digits)").FillAsync("1234 5678 9012 3456 7890");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enter token" }).ClickAsync();
        await Expect(page.Locator("#verdict-word")).ToHaveTextAsync("REJECT");
        await Expect(page.Locator("#screen-credit")).ToHaveTextAsync("5.000");

        await page.GetByLabel("Token (20 digits)").FillAsync("1234");
        await page.Locator("#token").EvaluateAsync("e => e.removeAttribute('required')");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enter token" }).ClickAsync();
        await Expect(page.Locator("#keypad-error")).ToContainTextAsync("20 digits");
        Assert.Equal(1, meter.Agent.TokensTyped);
        await WebFixture.ScreenshotAsync(page, "device-short-token");
    }

    [Fact]
    public async Task A_meter_that_is_not_simulated_here_says_so()
    {
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, web.Logins.Operator);
        await page.GotoAsync("/meters/10000000004/device");
        await Expect(page.Locator("#not-simulated")).ToContainTextAsync("not a simulated meter");
        await Expect(page.Locator("#keypad-form")).ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(page, "device-not-simulated");
    }

    [Fact]
    public async Task A_smart_meters_page_shows_its_display_but_no_keypad()
    {
        await using var meter = await SimulatedMeter.StartAsync(web, "10000000024", initialCreditWh: 12_345);
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, web.Logins.Operator);
        await page.GotoAsync("/meters/10000000024/device");
        await Expect(page.Locator("#screen-credit")).ToHaveTextAsync("12.345");
        await Expect(page.Locator("#no-keypad")).ToBeVisibleAsync();
        await Expect(page.Locator("#keypad-form")).ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(page, "device-smart");
    }
}
