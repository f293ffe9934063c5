using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Storage;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>The point of sale, sign-in and the public recharge page, in a real browser against a real server.</summary>
public sealed partial class PosPagesTests(WebFixture web) : IClassFixture<WebFixture>
{
    [GeneratedRegex(@"^\d{4} \d{4} \d{4} \d{4} \d{4}$")]
    private static partial Regex GroupedToken();

    [GeneratedRegex(@"/pos/receipts/[0-9a-f-]{36}$")]
    private static partial Regex ReceiptUrl();

    private async Task<IPage> SignInAsync(string user, string password, string screenshot, string? authenticatorKey = null)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/login");
        await WebFixture.ScreenshotAsync(page, screenshot);
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        if (authenticatorKey is not null)
        {
            await WebFixture.CommittedAsync(page, url => !url.EndsWith("/login", StringComparison.Ordinal) && !url.Contains("/login?", StringComparison.Ordinal));
            await WebFixture.AnswerTwoFactorAsync(page, user, authenticatorKey);
        }
        return page;
    }

    private Task<IPage> SignInClerkAsync(string screenshot) =>
        SignInAsync(web.Logins.Clerk.UserName, web.Logins.Clerk.Password, screenshot, web.Logins.Clerk.AuthenticatorKey);

    private async Task FindBySiteAndRoomAsync(IPage page, string site, string room)
    {
        await page.GetByLabel("Site code").FillAsync(site);
        await page.GetByLabel("Room or unit").FillAsync(room);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find meter" }).ClickAsync();
        await Expect(page.Locator("#found")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_a_copy_of_its_cookie_no_longer_opens_a_page()
    {
        var page = await SignInClerkAsync("signout-login");
        await Expect(page).ToHaveURLAsync(new Regex("/pos$"));
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "prepay.session");

        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = $"Sign out {web.Logins.Clerk.UserName}" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/logout", StringComparison.Ordinal));
        Assert.Equal(302, answer.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signed out" })).ToBeVisibleAsync();

        // The next page asks for a sign-in.
        await page.GotoAsync("/pos");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));

        // And the session is over on the server: the old cookie, replayed by someone who copied it, opens nothing
        // (its security stamp is no longer the person's).
        var thief = await web.NewPageAsync();
        await thief.Context.AddCookiesAsync([new Cookie { Name = session.Name, Value = session.Value, Domain = session.Domain, Path = session.Path }]);
        await thief.GotoAsync("/pos");
        await Expect(thief).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task Clerk_finds_a_meter_by_site_and_room_vends_and_reprints_the_receipt()
    {
        var page = await SignInClerkAsync("login");
        await Expect(page).ToHaveURLAsync(new Regex("/pos$"));
        await WebFixture.ScreenshotAsync(page, "pos");

        await FindBySiteAndRoomAsync(page, "SUNRISE", "A-101");
        await Expect(page.Locator("#customer-name")).ToHaveTextAsync("Thandi Nkosi");
        await Expect(page.Locator("#found-meter")).ToContainTextAsync("10000000001");
        await WebFixture.ScreenshotAsync(page, "pos-found");

        await page.GetByLabel("Amount (ZAR)").FillAsync("100.00");
        await page.GetByLabel("The customer confirmed the name").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take payment and vend" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ReceiptUrl());
        var token = (await page.Locator("#token").InnerTextAsync()).Trim();
        Assert.Matches(GroupedToken(), token);
        await Expect(page.Locator("#receipt-meter")).ToHaveTextAsync("10000000001");
        await Expect(page.Locator("#receipt-amount")).ToHaveTextAsync("ZAR 100.00");
        await Expect(page.Locator("#reprint-mark")).ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(page, "receipt");

        await page.GetByRole(AriaRole.Link, new() { Name = "Reprint" }).ClickAsync();
        await Expect(page.Locator("#reprint-mark")).ToBeVisibleAsync();
        Assert.Equal(token, (await page.Locator("#token").InnerTextAsync()).Trim());
        await WebFixture.ScreenshotAsync(page, "receipt-reprint");

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(page.Locator(".actions")).ToBeHiddenAsync();
        await WebFixture.ScreenshotAsync(page, "receipt-print");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var actions = await db.Audit.Where(a => a.Actor == "vendor:clerk/clerk").Select(a => a.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("pos.lookup", actions);
        Assert.Contains("pos.receipt.reprint", actions);
        // The receipt right after the sale shows the token too: audited, though not marked a reprint.
        Assert.Contains("pos.receipt.view", actions);
        Assert.Contains(actions, a => a.StartsWith("vend", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sending_the_same_sale_form_twice_vends_once()
    {
        var page = await SignInClerkAsync("login-clerk-double");
        await Expect(page).ToHaveURLAsync(new Regex("/pos$"));
        await FindBySiteAndRoomAsync(page, "UNIDORM", "R-102");
        var key = await page.Locator("input[name=IdempotencyKey]").InputValueAsync();
        await page.GetByLabel("Amount (ZAR)").FillAsync("25.00");
        await page.GetByLabel("The customer confirmed the name").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take payment and vend" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ReceiptUrl());
        var first = page.Url;

        // The same form again (a double click, or the browser resending it): same hidden key, same sale.
        await page.GotoAsync("/pos");
        await FindBySiteAndRoomAsync(page, "UNIDORM", "R-102");
        await page.Locator("input[name=IdempotencyKey]").EvaluateAsync("(e, k) => e.value = k", key);
        await page.GetByLabel("Amount (ZAR)").FillAsync("25.00");
        await page.GetByLabel("The customer confirmed the name").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take payment and vend" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ReceiptUrl());
        Assert.Equal(first, page.Url);

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(1, await db.Vends.CountAsync(v => v.MeterNumber == "10000000012", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_user_and_a_locked_account_read_the_same_and_five_wrong_passwords_lock()
    {
        var refused = Server.Web.People.PasswordSignIn.RefusedMessage;
        var page = await SignInAsync(WebFixture.LockoutUser, "not-the-password-1", "login-lockout-start");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync(refused);
        await WebFixture.ScreenshotAsync(page, "login-wrong-password");
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await page.GetByLabel("User name").FillAsync(WebFixture.LockoutUser);
            await page.GetByLabel("Password").FillAsync($"not-the-password-{attempt}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.Locator("#login-error")).ToHaveTextAsync(refused);
        }

        // Now even the right password is refused until the lockout ends, in the same words as a name nobody has.
        await page.GetByLabel("User name").FillAsync(WebFixture.LockoutUser);
        await page.GetByLabel("Password").FillAsync(WebFixture.LockoutPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#login-error")).ToHaveTextAsync(refused);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "prepay.session");
        await WebFixture.ScreenshotAsync(page, "login-locked");
        await page.GetByLabel("User name").FillAsync("nobody-by-this-name");
        await page.GetByLabel("Password").FillAsync(WebFixture.LockoutPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#login-error")).ToHaveTextAsync(refused);

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var actions = await db.Audit.Where(a => a.Target == "person/" + WebFixture.LockoutUser).Select(a => a.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, actions.Count(a => a == "person.sign-in-failed"));
        Assert.Equal(2, actions.Count(a => a == "person.locked-out"));
        Assert.DoesNotContain("person.sign-in", actions);
    }

    [Fact]
    public async Task A_customer_opening_the_point_of_sale_is_refused()
    {
        var page = await SignInAsync(web.Logins.Customer.UserName, web.Logins.Customer.Password, "login-customer");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        var response = await page.GotoAsync("/pos");
        Assert.Equal(403, response!.Status);
        await Expect(page).ToHaveURLAsync(new Regex("/denied"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, "pos-refused-customer");
    }

    [Fact]
    public async Task Anonymous_visitor_opening_the_point_of_sale_is_sent_to_sign_in()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/pos");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fpos$"));
        var receipt = await page.GotoAsync($"/pos/receipts/{Guid.NewGuid()}");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl="));
        Assert.NotNull(receipt);
    }

    [Fact]
    public async Task Recharge_page_quotes_by_site_and_room_without_signing_in()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/recharge");
        await WebFixture.ScreenshotAsync(page, "recharge");
        await page.GetByLabel("Site code").FillAsync("UNIDORM");
        await page.GetByLabel("Room or unit").FillAsync("R-101");
        await page.GetByLabel("Last 4 digits of the meter number").FillAsync("0011");
        await page.GetByLabel("Amount").FillAsync("50.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get a quote" }).ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await Expect(page.Locator("#quote-name")).ToHaveTextAsync("T. N.");
        await Expect(page.Locator("#quote-amount")).ToHaveTextAsync("ZAR 50.00");
        await Expect(page.Locator("#quote-energy")).ToHaveTextAsync(new Regex(@"^\d+(\.\d+)? kWh$"));
        Assert.DoesNotContain("Thandi", await page.ContentAsync(), StringComparison.Ordinal);
        await WebFixture.ScreenshotAsync(page, "recharge-quote");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(0, await db.Vends.CountAsync(v => v.MeterNumber == "10000000011", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Recharge_page_finds_a_meter_typed_in_lower_case_or_by_number()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/recharge");
        await page.GetByLabel("Site code").FillAsync("sunrise");
        await page.GetByLabel("Room or unit").FillAsync("a-103");
        await page.GetByLabel("Last 4 digits of the meter number").FillAsync("0003");
        await page.GetByLabel("Amount").FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get a quote" }).ClickAsync();
        await Expect(page.Locator("#quote-amount")).ToHaveTextAsync("ZAR 20.00");

        await page.GetByLabel("Site code").FillAsync("");
        await page.GetByLabel("Room or unit").FillAsync("");
        await page.GetByLabel("Last 4 digits of the meter number").FillAsync("");
        await page.GetByLabel("Meter number", new() { Exact = true }).FillAsync("10000000099");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get a quote" }).ClickAsync();
        await Expect(page.Locator("#recharge-error")).ToContainTextAsync("No meter found");
        await WebFixture.ScreenshotAsync(page, "recharge-not-found");
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        using var client = new HttpClient { BaseAddress = web.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "clerk", ["Password"] = "whatever-it-is" });
        var response = await client.PostAsync("/login", form, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Pages_send_security_headers_and_a_strict_http_only_cookie()
    {
        // Operators sign in with an authenticator code as well: the helper answers it.
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, web.Logins.Operator);
        var response = await page.GotoAsync("/");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("same-origin", headers["referrer-policy"]);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "prepay.session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        await WebFixture.ScreenshotAsync(page, "home-operator");
    }
}
