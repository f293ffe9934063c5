using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>Authenticator codes for operators and administrators: enrolment, sign-in with and without the code, recovery codes, lockout, roles.</summary>
public sealed class TwoFactorTests(WebFixture web) : IClassFixture<WebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IPage> PasswordStepAsync(string user, string password)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    private async Task<string> NewPersonAsync(string role)
    {
        var name = $"{role}-{Guid.NewGuid():N}"[..20];
        await using var scope = web.Services.CreateAsyncScope();
        await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), name, WebFixture.PasswordFor(name), role);
        return name;
    }

    [Fact]
    public async Task An_operator_with_the_right_password_but_no_code_is_not_signed_in_and_a_computed_code_lets_them_in()
    {
        var login = web.Logins.Operator;
        Assert.NotNull(login.AuthenticatorKey);
        var page = await PasswordStepAsync(login.UserName, login.Password);
        await Expect(page).ToHaveURLAsync(new Regex("/login/two-factor"));
        await WebFixture.ScreenshotAsync(page, "login-two-factor");

        // Without the code there is no session: the console sends the visitor back to sign in.
        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fconsole$"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "prepay.session");

        page = await PasswordStepAsync(login.UserName, login.Password);
        await page.GetByLabel("6-digit code").FillAsync("000000" == WebFixture.AuthenticatorCode(login.AuthenticatorKey) ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
        await Expect(page.Locator("#two-factor-error")).ToContainTextAsync("not right");
        await WebFixture.ScreenshotAsync(page, "login-two-factor-wrong");

        await page.GetByLabel("6-digit code").FillAsync(WebFixture.AuthenticatorCode(login.AuthenticatorKey));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operator console" })).ToBeVisibleAsync();

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var audit = await db.Audit.Where(a => a.Actor == "person:" + login.UserName).Select(a => a.Action + " " + a.Details).ToListAsync(Ct);
        Assert.Contains("person.sign-in-failed wrong code", audit);
        Assert.Contains("person.sign-in with code", audit);
    }

    [Fact]
    public async Task An_operator_without_an_authenticator_is_sent_to_enrolment_and_then_signs_in_with_codes_or_a_recovery_code()
    {
        var name = await NewPersonAsync(PeopleRoles.Operator);
        var page = await PasswordStepAsync(name, WebFixture.PasswordFor(name));
        await Expect(page).ToHaveURLAsync(new Regex("/account/two-factor\\?ReturnUrl=%2Fconsole$"));
        await Expect(page.Locator("#enrol-required")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code holding your authenticator key for Prepay" })).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, "two-factor-enrol");
        var key = (await page.Locator("#shared-key").InnerTextAsync()).Trim();

        await page.GetByLabel("6-digit code").FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        await Expect(page.Locator("#enrol-error")).ToBeVisibleAsync();

        await page.GetByLabel("6-digit code").FillAsync(WebFixture.AuthenticatorCode(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        await Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await WebFixture.ScreenshotAsync(page, "two-factor-recovery-codes");
        var recovery = (await page.Locator("#recovery-codes li").First.InnerTextAsync()).Trim();
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operator console" })).ToBeVisibleAsync();

        // From now on the password alone is not enough; a recovery code works once in place of the app's code.
        var again = await PasswordStepAsync(name, WebFixture.PasswordFor(name));
        await Expect(again).ToHaveURLAsync(new Regex("/login/two-factor"));
        await again.GetByText("No authenticator at hand? Use a recovery code").ClickAsync();
        await again.GetByLabel("Recovery code").FillAsync(recovery);
        await again.GetByRole(AriaRole.Button, new() { Name = "Sign in with the recovery code" }).ClickAsync();
        await Expect(again).ToHaveURLAsync(new Regex("/console$"));

        var reused = await PasswordStepAsync(name, WebFixture.PasswordFor(name));
        await reused.GetByText("No authenticator at hand? Use a recovery code").ClickAsync();
        await reused.GetByLabel("Recovery code").FillAsync(recovery);
        await reused.GetByRole(AriaRole.Button, new() { Name = "Sign in with the recovery code" }).ClickAsync();
        await Expect(reused.Locator("#two-factor-error")).ToContainTextAsync("used before");

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "person.two-factor.enrol" && a.Actor == "person:" + name, Ct));
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_like_five_wrong_passwords()
    {
        var name = await NewPersonAsync(PeopleRoles.Admin);
        string key;
        await using (var scope = web.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>();
            key = await Prepay.Server.Web.Account.Authenticators.EnrolAsync(users, (await users.FindByNameAsync(name))!);
        }
        var page = await PasswordStepAsync(name, WebFixture.PasswordFor(name));
        var wrong = WebFixture.AuthenticatorCode(key) == "000000" ? "999999" : "000000";
        for (var attempt = 1; attempt <= PasswordRules.MaxFailedAttempts; attempt++)
        {
            await page.GetByLabel("6-digit code").FillAsync(wrong);
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
            await Expect(page.Locator("#two-factor-error")).ToBeVisibleAsync();
        }
        await Expect(page.Locator("#two-factor-error")).ToContainTextAsync("locked");
        await WebFixture.ScreenshotAsync(page, "login-two-factor-locked");

        // The right password and code are refused while the lockout lasts.
        var after = await PasswordStepAsync(name, WebFixture.PasswordFor(name));
        await Expect(after.Locator("#login-error")).ToHaveTextAsync(Server.Web.People.PasswordSignIn.RefusedMessage);
        await Expect(after).ToHaveURLAsync(new Regex("/login$"));
    }

    [Fact]
    public async Task A_clerk_or_a_customer_opening_the_console_or_a_device_page_is_refused()
    {
        foreach (var login in new[] { web.Logins.Clerk, web.Logins.Customer })
        {
            var page = await web.NewPageAsync();
            await WebFixture.SignInAsync(page, login);
            foreach (var path in new[] { "/console", "/console/meters/10000000001", "/console/audit", "/meters/10000000001/device" })
            {
                var response = await page.GotoAsync(path);
                Assert.Equal(403, response!.Status);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
            }
            await WebFixture.ScreenshotAsync(page, "console-refused-" + login.UserName);
        }
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_the_live_handlers_give_them_nothing()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/console/meters/10000000021");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl="));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = web.BaseAddress };
        var live = await client.GetAsync("/console?handler=Overview", Ct);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, live.StatusCode);
        Assert.Contains("/login", live.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
