using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Server.Demo;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>Administrators manage staff sign-ins; everyone changes their own password; each change ends old sessions.</summary>
public sealed class StaffAccountsTests(WebFixture web) : IClassFixture<WebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IPage> AdminAsync()
    {
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, web.Logins.Admin);
        await page.GotoAsync("/console/people");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Staff", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    private async Task<IPage> PasswordStepAsync(string user, string password)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task An_admin_adds_a_clerk_who_must_enrol_then_disables_them_which_ends_their_session()
    {
        var admin = await AdminAsync();
        var name = "clerk-" + Guid.NewGuid().ToString("N")[..8];
        await admin.GetByLabel("User name").FillAsync(name);
        await admin.GetByLabel("Role").SelectOptionAsync("clerk");
        await admin.GetByLabel("Vendor (clerks only)").SelectOptionAsync(DemoData.ShopVendor);
        await admin.Locator("#create-person").ClickAsync();
        await Expect(admin.Locator("#people-message")).ToContainTextAsync($"Created {name}");
        var password = (await admin.Locator("#first-password code").InnerTextAsync()).Trim();
        Assert.Equal(20, password.Length);
        await Expect(admin.Locator($"#person-{name}")).ToContainTextAsync("not yet");
        await WebFixture.ScreenshotAsync(admin, "console-people");

        // The new clerk's first sign-in goes to enrolment before the point of sale.
        var clerk = await PasswordStepAsync(name, password);
        await Expect(clerk).ToHaveURLAsync(new Regex("/account/two-factor\\?ReturnUrl=%2Fpos$"));
        var key = (await clerk.Locator("#shared-key").InnerTextAsync()).Trim();
        await clerk.GetByLabel("6-digit code").FillAsync(WebFixture.AuthenticatorCode(key));
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        await clerk.GotoAsync("/pos");
        await Expect(clerk).ToHaveURLAsync(new Regex("/pos$"));

        await admin.GotoAsync("/console/people");
        await Expect(admin.Locator($"#person-{name}")).ToContainTextAsync("enrolled");
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Disable {name}" }).ClickAsync();
        await Expect(admin.Locator("#people-message")).ToContainTextAsync($"{name} is disabled");
        await Expect(admin.Locator($"#person-{name}")).ToContainTextAsync("disabled");

        // The clerk's open session is over, and the password no longer signs in.
        await clerk.GotoAsync("/pos");
        await Expect(clerk).ToHaveURLAsync(new Regex("/login"));
        var again = await PasswordStepAsync(name, password);
        await Expect(again.Locator("#login-error")).ToHaveTextAsync(PasswordSignIn.RefusedMessage);

        // Enabled again, and the authenticator reset: the next sign-in enrols anew.
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Enable {name}" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Reset authenticator of {name}" }).ClickAsync();
        await Expect(admin.Locator("#people-message")).ToContainTextAsync("forgotten");
        var reenrol = await PasswordStepAsync(name, password);
        await Expect(reenrol).ToHaveURLAsync(new Regex("/account/two-factor"));
        Assert.NotEqual(key, (await reenrol.Locator("#shared-key").InnerTextAsync()).Trim());

        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var adminId = (await db.Users.SingleAsync(u => u.UserName == web.Logins.Admin.UserName, Ct)).Id;
        var actions = await db.Audit.Where(a => a.Target.StartsWith("person/" + name + " (")).OrderBy(a => a.Id).Select(a => new { a.Action, a.Actor }).ToListAsync(Ct);
        Assert.Equal(["person.create", "person.disable", "person.enable", "person.two-factor.reset"], actions.Select(a => a.Action));
        Assert.All(actions, a => Assert.Contains(adminId.ToString("D"), a.Actor, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_cannot_disable_themselves_and_an_operator_cannot_open_the_staff_page()
    {
        var admin = await AdminAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Disable {web.Logins.Admin.UserName}", Exact = true }).ClickAsync();
        await Expect(admin.Locator("#people-error")).ToContainTextAsync("another administrator");
        await Expect(admin.Locator($"#person-{web.Logins.Admin.UserName}")).ToContainTextAsync("active");

        var @operator = await web.NewPageAsync();
        await WebFixture.SignInAsync(@operator, web.Logins.Operator);
        var response = await @operator.GotoAsync("/console/people");
        Assert.Equal(403, response!.Status);
        await Expect(@operator.GetByRole(AriaRole.Link, new() { Name = "Staff" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Changing_ones_password_ends_the_other_sessions_and_only_the_new_password_signs_in()
    {
        var name = "pwchange-" + Guid.NewGuid().ToString("N")[..8];
        const string old = "pwchange-old-password-1";
        const string proposed = "pwchange-new-password-2";
        await using (var scope = web.Services.CreateAsyncScope())
        {
            await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), name, old, PeopleRoles.Customer);
        }
        var here = await PasswordStepAsync(name, old);
        var elsewhere = await PasswordStepAsync(name, old);
        await here.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await Expect(here.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();

        // A wrong current password, then a breached one, are refused.
        await here.GetByLabel("Current password").FillAsync("not-my-password-9");
        await here.GetByLabel("New password (at least 12 characters)").FillAsync(proposed);
        await here.GetByLabel("New password again").FillAsync(proposed);
        await here.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(here.Locator("#password-error")).ToContainTextAsync("current password is not right");
        await here.GetByLabel("Current password").FillAsync(old);
        await here.GetByLabel("New password (at least 12 characters)").FillAsync("password1234");
        await here.GetByLabel("New password again").FillAsync("password1234");
        await here.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(here.Locator("#password-error")).ToContainTextAsync("too common");

        await here.GetByLabel("Current password").FillAsync(old);
        await here.GetByLabel("New password (at least 12 characters)").FillAsync(proposed);
        await here.GetByLabel("New password again").FillAsync(proposed);
        await here.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(here.Locator("#password-message")).ToContainTextAsync("changed");
        await WebFixture.ScreenshotAsync(here, "account-password");

        // This session goes on; the other one has ended.
        await here.GotoAsync("/account/password");
        await Expect(here).ToHaveURLAsync(new Regex("/account/password$"));
        await elsewhere.GotoAsync("/account/password");
        await Expect(elsewhere).ToHaveURLAsync(new Regex("/login"));

        var withOld = await PasswordStepAsync(name, old);
        await Expect(withOld.Locator("#login-error")).ToHaveTextAsync(PasswordSignIn.RefusedMessage);
        var withNew = await PasswordStepAsync(name, proposed);
        await Expect(withNew).Not.ToHaveURLAsync(new Regex("/login"));
    }
}
