using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Storage;
using Prepay.Storage.Records.Payments;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// Recharge without an account, as dormitory residents do: find the room, confirm the masked name, pay at the
/// sandbox checkout, get the token. Nothing is sold before the provider's signed callback says it was paid.
/// </summary>
public sealed partial class RechargePaymentTests(WebFixture web) : IClassFixture<WebFixture>
{
    [GeneratedRegex(@"^\d{4} \d{4} \d{4} \d{4} \d{4}$")]
    private static partial Regex GroupedToken();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IPage> QuoteAsync(string site, string room, string ending, string amount, string screenshot)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/recharge");
        await CustomerPages.ScreenshotAsync(page, screenshot + "-form");
        await page.GetByLabel("Site code").FillAsync(site);
        await page.GetByLabel("Room or unit").FillAsync(room);
        await page.GetByLabel("Last 4 digits of the meter number").FillAsync(ending);
        await page.GetByLabel("Amount").FillAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = "Get a quote" }).ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await CustomerPages.ScreenshotAsync(page, screenshot);
        return page;
    }

    [Fact]
    public async Task A_resident_recharges_by_site_and_room_without_signing_in_and_gets_a_token()
    {
        var page = await QuoteAsync("UNIDORM", "R-105", "0015", "30.00", "recharge-pay-quote");
        await Expect(page.Locator("#quote-name")).ToHaveTextAsync("P. O.");
        Assert.DoesNotContain("Otieno", await page.ContentAsync(), StringComparison.Ordinal);

        // Paying needs the name confirmed.
        await page.GetByLabel("This is my account").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay ZAR 30.00" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sandbox/checkout/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#checkout-amount")).ToHaveTextAsync("ZAR 30.00");
        await CustomerPages.ScreenshotAsync(page, "sandbox-checkout-recharge");

        await page.GetByLabel("Mobile number").FillAsync("+27 82 555 7788");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve on my phone" }).ClickAsync();
        await CustomerPages.PaymentResultAsync(page);
        var token = (await page.Locator("#token").InnerTextAsync()).Trim();
        Assert.Matches(GroupedToken(), token);
        await Expect(page.Locator("#receipt-meter")).ToHaveTextAsync("10000000015");
        await Expect(page.Locator("#receipt-amount")).ToHaveTextAsync("ZAR 30.00");
        // Whoever paid without signing in sees the account holder's name masked here too.
        await Expect(page.Locator("#receipt-customer")).ToHaveTextAsync("P. O.");
        Assert.DoesNotContain("Otieno", await page.ContentAsync(), StringComparison.Ordinal);
        await CustomerPages.ScreenshotAsync(page, "payment-result-recharge");

        // The result page opens only with its key.
        var withoutKey = await page.GotoAsync(new Uri(page.Url).AbsolutePath);
        Assert.Equal(404, withoutKey!.Status);
        await CustomerPages.ScreenshotAsync(page, "payment-result-without-key");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var vend = await db.Vends.SingleAsync(v => v.MeterNumber == "10000000015", Ct);
        Assert.Equal(token.Replace(" ", "", StringComparison.Ordinal), vend.Token);
        Assert.Equal("web", vend.Channel);
        var session = await db.PaymentSessions.SingleAsync(s => s.VendId == vend.Id, Ct);
        Assert.Equal("mobile •••• 7788", session.PaymentMethod);
        Assert.Equal(1, await db.PaymentCallbacks.CountAsync(c => c.SessionId == session.Id, Ct));
    }

    [Fact]
    public async Task Cancelling_at_the_checkout_sells_nothing()
    {
        var page = await QuoteAsync("UNIDORM", "R-106", "0016", "40.00", "recharge-cancel-quote");
        await page.GetByLabel("This is my account").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay ZAR 40.00" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sandbox/checkout/"));
        var checkout = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel and go back" }).ClickAsync();
        await CustomerPages.PaymentResultAsync(page);
        await Expect(page.Locator("#payment-status")).ToContainTextAsync("declined");
        await CustomerPages.ScreenshotAsync(page, "payment-result-cancelled");

        // The closed checkout takes no second try.
        await page.GotoAsync(checkout);
        await Expect(page.Locator("#checkout-closed")).ToBeVisibleAsync();
        await CustomerPages.ScreenshotAsync(page, "sandbox-checkout-closed");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(0, await db.Vends.CountAsync(v => v.MeterNumber == "10000000016", Ct));
        Assert.Equal(PaymentStatus.Declined, await db.PaymentSessions.Where(s => s.MeterNumber == "10000000016").Select(s => s.Status).SingleAsync(Ct));
    }
}
