using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// What the customer-side browser tests share: screenshots that first check the page fits a 360 px screen, signing
/// in (with the authenticator step when a key is given), and paying at the sandbox checkout.
/// </summary>
internal static class CustomerPages
{
    /// <summary>Fails when the page is wider than a 360 px phone, then saves both screenshots (<see cref="WebFixture.ScreenshotAsync"/>).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(360, 740);
        try
        {
            // Chart.js resizes its canvases a frame after the viewport changes: give the layout a moment to settle.
            await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= 360", null, new() { Timeout = 3000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{name}: the page is {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide on a 360 px screen.");
        }
        await WebFixture.ScreenshotAsync(page, name);
    }

    /// <summary>Signs in through /login (screenshots of the sign-in page and of where it lands, named after <paramref name="screenshot"/>).</summary>
    public static async Task<IPage> SignInAsync(WebFixture web, string user, string password, string screenshot, string? authenticatorKey = null)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/login");
        await ScreenshotAsync(page, screenshot + "-login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WebFixture.CommittedAsync(page, url => !url.EndsWith("/login", StringComparison.Ordinal) && !url.Contains("/login?", StringComparison.Ordinal));
        await WebFixture.AnswerTwoFactorAsync(page, user, authenticatorKey);
        await WebFixture.CommittedAsync(page, url => !url.Contains("/login", StringComparison.Ordinal));
        await ScreenshotAsync(page, screenshot + "-landing");
        return page;
    }

    /// <summary>On the sandbox checkout: pays with a test card and waits for Prepay's result page.</summary>
    public static async Task PayByCardAsync(IPage page, string card, string screenshot)
    {
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sandbox/checkout/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#sandbox-banner")).ToContainTextAsync("SANDBOX");
        await ScreenshotAsync(page, screenshot);
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByLabel("Expiry (MM/YY)").FillAsync("12/30");
        await page.GetByLabel("Security code").FillAsync("123");
        await page.Locator("#pay-card").ClickAsync();
        await PaymentResultAsync(page);
    }

    /// <summary>
    /// Waits for the payment's result page to show a status. That page reloads itself every two seconds while the
    /// payment is undecided, so waiting for its load event can be cut short by the next reload: wait for the
    /// address to be committed, then for content, which Playwright keeps looking for across reloads.
    /// </summary>
    public static async Task PaymentResultAsync(IPage page)
    {
        await WebFixture.CommittedAsync(page, url => url.Contains("/pay/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#payment-status")).ToBeVisibleAsync();
    }
}
