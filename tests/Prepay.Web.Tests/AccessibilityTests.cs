using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Server.Demo;
using Prepay.Server.Web.People;
using Prepay.Simulator.Fleet;
using Prepay.Storage.Records.People;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// Every page of the site, as every role sees it, checked with axe-core: no serious or critical violation. Pages are
/// found by following each role's links from where the role starts, plus the flows links cannot reach (a sale, a
/// payment, sign-in steps, enrolment); the test then compares what it checked with every Razor page the server
/// has, so a page added later and not reached fails here until it is.
/// </summary>
public sealed partial class AccessibilityTests(WebFixture web) : IClassFixture<WebFixture>
{
    /// <summary>Pages that are not HTML for people to read, so axe has nothing to check.</summary>
    private static readonly IReadOnlySet<string> NotHtml = new HashSet<string>(StringComparer.Ordinal) { "pos/receipts/{vendId:guid}/pdf" };

    /// <summary>Links a crawl must not follow: they sign out, download, or leave the pages.</summary>
    [GeneratedRegex(@"^/(logout|api/|scalar|openapi|web/|health)|handler=Csv|/pdf$")]
    private static partial Regex NotToFollow();

    private readonly List<string> _violations = [];
    private readonly HashSet<string> _checkedTemplates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _checkedAs = new(StringComparer.Ordinal);
    private int _shots;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_page_for_every_role_has_no_serious_or_critical_accessibility_violations()
    {
        var templates = PageTemplates();
        await using var keypadMeter = await SimulatedMeter.StartAsync(web, "10000000006", initialCreditWh: 3_000);

        // Anyone: the start page, sign-in (also with its error), the quote and the whole public payment.
        var anonymous = await web.NewPageAsync();
        await CrawlAsync(anonymous, "anonymous", templates, "/", "/recharge", "/denied", "/logout");
        await anonymous.GotoAsync("/login");
        await anonymous.GetByLabel("User name").FillAsync("nobody-at-all");
        await anonymous.GetByLabel("Password").FillAsync("not-a-password-at-all");
        await anonymous.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(anonymous.Locator("#login-error")).ToBeVisibleAsync();
        await CheckAsync(anonymous, "anonymous", templates);
        await RechargeAndPayAsync(anonymous, templates);

        // A vendor clerk: the counter, a sale's receipt, the cash-up.
        var clerk = await web.NewPageAsync();
        await WebFixture.SignInAsync(clerk, web.Logins.Clerk);
        await clerk.GotoAsync("/pos");
        await clerk.GetByLabel("Site code").FillAsync("SUNRISE");
        await clerk.GetByLabel("Room or unit").FillAsync("A-104");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Find meter" }).ClickAsync();
        await Expect(clerk.Locator("#found")).ToBeVisibleAsync();
        await CheckAsync(clerk, "clerk", templates, force: true);
        await clerk.GetByLabel("Amount (ZAR)").FillAsync("25.00");
        await clerk.GetByLabel("The customer confirmed the name").CheckAsync();
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Take payment and vend" }).ClickAsync();
        await Expect(clerk).ToHaveURLAsync(new Regex("/pos/receipts/"));
        await CrawlAsync(clerk, "clerk", templates, clerk.Url, "/pos");

        // A customer: the portal and everything it links to.
        var customer = await web.NewPageAsync();
        await WebFixture.SignInAsync(customer, web.Logins.Customer);
        await CrawlAsync(customer, "customer", templates, "/portal", "/");

        // A key change campaign, so that the campaigns list links to a campaign's page. It starts in a year and names
        // one meter no step here sells to, so that no receipt checked here carries key change tokens.
        using (var api = new PrepayApi(web.BaseAddress, web.Keys.Operator))
        {
            await api.SendAsync(HttpMethod.Post, "/api/v1/key-change-campaigns", new
            {
                name = "Accessibility check", reason = "a campaign page to check", toKeyRevisionNumber = 2,
                startsAt = NodaTime.Text.InstantPattern.ExtendedIso.Format(web.Clock.GetCurrentInstant().Plus(NodaTime.Duration.FromDays(365))), meterNumbers = new[] { "10000000017" },
            }, Ct);
        }

        // Operators and admins: the authenticator step, the console, a meter and its device page, enrolment.
        foreach (var (role, login) in new[] { ("operator", web.Logins.Operator), ("admin", web.Logins.Admin) })
        {
            var staff = await web.NewPageAsync();
            await staff.GotoAsync("/login");
            await staff.GetByLabel("User name").FillAsync(login.UserName);
            await staff.GetByLabel("Password").FillAsync(login.Password);
            await staff.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(staff).ToHaveURLAsync(new Regex("/login/two-factor"));
            await CheckAsync(staff, role, templates);
            await staff.GetByLabel("6-digit code").FillAsync(WebFixture.AuthenticatorCode(login.AuthenticatorKey!));
            await staff.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
            await Expect(staff).ToHaveURLAsync(new Regex("/console$"));
            await CrawlAsync(staff, role, templates, "/console", "/console/meters/10000000021", "/console/meters/10000000006", "/meters/10000000006/device",
                "/console/sites?site=SUNRISE", "/console/tariffs/COM-TOU", "/account/two-factor");
        }

        // Someone who must enrol sees the key and its QR code.
        var newcomer = await NewOperatorAsync();
        await Expect(newcomer).ToHaveURLAsync(new Regex("/account/two-factor"));
        await CheckAsync(newcomer, "new operator", templates, force: true);

        var missing = templates.Except(_checkedTemplates).Except(NotHtml).Order().ToList();
        Assert.True(missing.Count == 0, "Pages no role reached, so never checked: " + string.Join(", ", missing));
        Assert.True(_violations.Count == 0, "Serious or critical accessibility violations:\n" + string.Join("\n", _violations));
    }

    [Fact]
    public async Task The_check_finds_a_serious_violation_when_a_page_has_one()
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync("/recharge");
        Assert.Empty(await Accessibility.SeriousViolationsAsync(page));
        // A field nobody can name and an image nobody can read: axe rates both critical.
        await page.EvaluateAsync("() => { const main = document.querySelector('main'); main.append(document.createElement('input')); main.append(document.createElement('img')); }");
        var violations = await Accessibility.SeriousViolationsAsync(page);
        Assert.Contains(violations, v => v.StartsWith("critical label:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("critical image-alt:", StringComparison.Ordinal));
    }

    /// <summary>The route template of every Razor page the server maps, e.g. <c>console/meters/{meterNumber}</c>.</summary>
    private List<string> PageTemplates() =>
        [.. web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => e.RoutePattern.RawText ?? "")
            .Distinct()];

    private static string? TemplateOf(IReadOnlyList<string> templates, string url)
    {
        var path = new Uri(url).AbsolutePath;
        return templates.FirstOrDefault(t => new TemplateMatcher(TemplateParser.Parse(t), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()));
    }

    /// <summary>Runs axe on the page as it is; a template is checked once per role unless <paramref name="force"/> (another state of it).</summary>
    private async Task CheckAsync(IPage page, string role, IReadOnlyList<string> templates, bool force = false)
    {
        var template = TemplateOf(templates, page.Url) ?? "(unknown) " + new Uri(page.Url).AbsolutePath;
        if (!_checkedAs.Add(template + " as " + role) && !force)
        {
            return;
        }
        _checkedTemplates.Add(template);
        foreach (var violation in await Accessibility.SeriousViolationsAsync(page))
        {
            _violations.Add($"{role} at {new Uri(page.Url).PathAndQuery}: {violation}");
        }
        await WebFixture.ScreenshotAsync(page, $"a11y-{++_shots:00}-{role.Replace(' ', '-')}-{Regex.Replace(template.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-')}");
        await page.SetViewportSizeAsync(1280, 800);
    }

    /// <summary>Visits the start pages and every same-site page they link to, breadth first, checking each new page.</summary>
    private async Task CrawlAsync(IPage page, string role, IReadOnlyList<string> templates, params string[] start)
    {
        var queue = new Queue<string>(start);
        var seen = new HashSet<string>(start, StringComparer.Ordinal);
        var templatesSeen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0 && seen.Count < 120)
        {
            var next = queue.Dequeue();
            if (next != page.Url)
            {
                await page.GotoAsync(next);
            }
            var template = TemplateOf(templates, page.Url) ?? page.Url;
            // One visit per template and role is enough, except where the start list asks for more (another state).
            if (!templatesSeen.Add(template) && !start.Contains(next))
            {
                continue;
            }
            await CheckAsync(page, role, templates, force: start.Contains(next));
            foreach (var href in await page.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.href)"))
            {
                if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || uri.Authority != web.BaseAddress.Authority || NotToFollow().IsMatch(uri.PathAndQuery))
                {
                    continue;
                }
                var link = uri.GetLeftPart(UriPartial.Query);
                if (seen.Add(link) && TemplateOf(templates, link) is { } t && !templatesSeen.Contains(t))
                {
                    queue.Enqueue(link);
                }
            }
        }
    }

    /// <summary>Recharge by room without an account: quote, confirm, the sandbox checkout, the result with the token.</summary>
    private async Task RechargeAndPayAsync(IPage page, IReadOnlyList<string> templates)
    {
        await page.GotoAsync("/recharge");
        await page.GetByLabel("Site code").FillAsync("UNIDORM");
        await page.GetByLabel("Room or unit").FillAsync("R-104");
        await page.GetByLabel("Last 4 digits of the meter number").FillAsync("0014");
        await page.GetByLabel("Amount").FillAsync("30.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get a quote" }).ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await CheckAsync(page, "anonymous", templates, force: true);
        await page.GetByLabel("This is my account").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay ZAR 30.00" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sandbox/checkout/"));
        await CheckAsync(page, "anonymous", templates);
        await page.GetByLabel("Mobile number").FillAsync("+27 82 555 7788");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve on my phone" }).ClickAsync();
        await CustomerPages.PaymentResultAsync(page);
        // Checked once decided: an undecided page reloads itself and would cut the check short.
        await Expect(page.Locator("#payment-status")).Not.ToContainTextAsync("checks again");
        await CheckAsync(page, "anonymous", templates);
    }

    private async Task<IPage> NewOperatorAsync()
    {
        var name = $"a11y-{Guid.NewGuid():N}"[..16];
        await using (var scope = web.Services.CreateAsyncScope())
        {
            await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), name, WebFixture.PasswordFor(name), PeopleRoles.Operator);
        }
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, new DemoData.DemoLogin(name, WebFixture.PasswordFor(name)));
        return page;
    }
}
