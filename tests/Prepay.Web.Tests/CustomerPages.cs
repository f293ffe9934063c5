using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>What the customer-side browser tests share: signing in without a second factor, and paying at the sandbox checkout.</summary>
internal static class CustomerPages
{
    public static async Task<IPage> SignInAsync(WebFixture web, string user, string password)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }

    /// <summary>On the sandbox checkout: pays with a test card and waits for Prepay's result page.</summary>
    public static async Task PayByCardAsync(IPage page, string card, string screenshot)
    {
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sandbox/checkout/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#sandbox-banner")).ToContainTextAsync("SANDBOX");
        await WebFixture.ScreenshotAsync(page, screenshot);
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByLabel("Expiry (MM/YY)").FillAsync("12/30");
        await page.GetByLabel("Security code").FillAsync("123");
        await page.Locator("#pay-card").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/pay/", StringComparison.Ordinal));
    }
}
