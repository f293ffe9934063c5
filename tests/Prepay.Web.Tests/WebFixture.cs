using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using NodaTime.Testing;
using Prepay.Server;
using Prepay.Server.Demo;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.People;

namespace Prepay.Web.Tests;

/// <summary>
/// A real Prepay server on a loopback port (SQLite, the demo dataset and its sign-ins, a fake clock) and Debian's
/// Chromium driven by Playwright. Without /usr/bin/chromium the browser tests skip, unless
/// PREPAY_TEST_REQUIRE_BROWSER=1 (the build script's test command) makes its absence a failure.
/// </summary>
public class WebFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string TestVendingKeyHex = "0123456789abcdef";

    /// <summary>People made for single tests, so that one test's lockout cannot disturb another.</summary>
    public const string LockoutUser = "lockout-test";
    public const string LockoutPassword = "lockout-test-password-7Kq";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "prepay-web-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 11, 23, 8, 0));

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public DemoData.DemoLogins Logins { get; private set; } = null!;

    /// <summary>The demo's API keys (admin, operator, vendor, app), for tests that act through the API beside the pages.</summary>
    public DemoData.DemoKeys Keys { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    public string? BrowserMissing { get; private set; }

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>Settings a fixture adds to (or overrides in) the common ones.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = null,
            ["RateLimit:PermitsPerSecond"] = "100000",
            ["RateLimit:Burst"] = "100000",
            ["RateLimit:PerAddressPermitsPerSecond"] = "100000",
            ["RateLimit:PerAddressBurst"] = "100000",
            ["RateLimit:SignInPerMinute"] = "100000",
            ["RateLimit:RechargePerMinute"] = "100000",
            ["RateLimit:CallbacksPerSecond"] = "100000",
            ["RateLimit:CallbacksBurst"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Mqtt:Port"] = "0",
            ["Sts:VendingKeyHex"] = TestVendingKeyHex,
            // The pages' tests watch meters cut at zero by their own firmware's rules, not the demo policy's.
            ["Disconnections:PushPolicies"] = "false",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            overrides[key] = value;
        }
        _app = PrepayServer.Build(new ServerSettings
        {
            Args = ["--environment", "Development"], // plain http on loopback: the cookie may not be Secure-only
            Urls = "http://127.0.0.1:0",
            DataDirectory = _dataDir,
            Clock = Clock,
            Overrides = overrides,
        });
        await _app.PrepareAsync();
        Keys = await DemoData.SeedAsync(_app.Services, _dataDir, CancellationToken.None);
        Logins = await DemoData.SeedLoginsAsync(_app.Services, _dataDir, CancellationToken.None);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>();
            await PeopleAccounts.EnsureAsync(users, LockoutUser, LockoutPassword, PeopleRoles.Operator);
        }
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        if (!File.Exists(ChromiumPath))
        {
            BrowserMissing = $"{ChromiumPath} is missing (apt-get install chromium); the browser tests need it.";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser context (its own cookies) on the desktop viewport; skips the test when there is no browser.</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (Browser is null)
        {
            if (Environment.GetEnvironmentVariable("PREPAY_TEST_REQUIRE_BROWSER") == "1")
            {
                Assert.Fail(BrowserMissing ?? "No browser.");
            }
            Assert.Skip(BrowserMissing ?? "No browser.");
        }
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs <paramref name="login"/> in through /login and, when the sign-in asks for an authenticator code (operators
    /// and admins), answers it with the code of the person's key now, as their authenticator app would.
    /// </summary>
    public static async Task SignInAsync(IPage page, DemoData.DemoLogin login)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(login.UserName);
        await page.GetByLabel("Password").FillAsync(login.Password);
        // Every answer on the way is kept, so that a sign-in that never leaves /login fails saying why (the post's
        // status, where each redirect led, what the page says) instead of only that it waited.
        var answers = new List<string>();
        void Keep(object? sender, IResponse r)
        {
            lock (answers)
            {
                answers.Add($"{r.Request.Method} {r.Url} → {r.Status}{(r.Headers.TryGetValue("location", out var to) ? " to " + to : "")}");
            }
        }
        page.Response += Keep;
        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            // Committed, not loaded: what follows waits for the content it needs, and a page that keeps a live stream
            // open or reloads itself (the console's) need not reach its load event for the sign-in to be done.
            await CommittedAsync(page, url => !url.Contains("/login?", StringComparison.Ordinal) && !url.EndsWith("/login", StringComparison.Ordinal), 20_000);
        }
        catch (TimeoutException)
        {
            var says = await page.Locator("main").AllInnerTextsAsync();
            lock (answers)
            {
                Assert.Fail($"Signing {login.UserName} in stayed on {page.Url}. Answers: {string.Join("; ", answers)}. The page says: {string.Join(" ", says)}");
            }
        }
        finally
        {
            page.Response -= Keep;
        }
        await AnswerTwoFactorAsync(page, login.UserName, login.AuthenticatorKey);
    }

    /// <summary>
    /// When the sign-in went on to the authenticator step (operators, admins, clerks, enrolled customers), answers it
    /// with the code of <paramref name="key"/> now, as the person's authenticator app would, and waits to leave it.
    /// </summary>
    public static async Task AnswerTwoFactorAsync(IPage page, string userName, string? key)
    {
        if (page.Url.Contains("/login/two-factor", StringComparison.Ordinal) && key is not null)
        {
            await page.GetByLabel("6-digit code").FillAsync(AuthenticatorCode(key));
            var answer = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync(), r => r.Request.Method == "POST");
            if (answer.Status == 302 && answer.Headers.TryGetValue("location", out var to) && to.Contains("/login", StringComparison.OrdinalIgnoreCase))
            {
                // Sent back to the sign-in: the step lost who was signing in (its short-lived cookie), not a wrong code.
                Assert.Fail($"The authenticator step sent {userName} back to {to} instead of signing them in.");
            }
            if (answer.Status != 302)
            {
                // The answer itself says why (the page's error, a refused form, a rate limit): read it rather than wait
                // for the page to settle, which a loaded machine can take longer than the test's timeout to do.
                var body = await answer.TextAsync();
                var error = System.Text.RegularExpressions.Regex.Match(body, "id=\"two-factor-error\"[^>]*>([^<]*)<").Groups[1].Value;
                Assert.Fail($"The authenticator step answered {userName} with {answer.Status}: {(error.Length > 0 ? error : body[..Math.Min(body.Length, 400)])}");
            }
            await CommittedAsync(page, url => !url.Contains("/login", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Waits until the main frame's address satisfies <paramref name="url"/>: committed, not loaded. Not
    /// <c>WaitForURLAsync</c> with <c>WaitUntil = Commit</c>: when the address already matches (the redirect was faster
    /// than the call) it waits for the load event instead (playwright-dotnet issue 3365), which a page that keeps a live
    /// stream open may never reach. The page's address changes when a navigation commits, so it is watched directly.
    /// </summary>
    public static async Task CommittedAsync(IPage page, Func<string, bool> url, int timeoutMs = 30_000)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!url(page.Url))
        {
            if (waited.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException($"The page stayed on {page.Url} for {timeoutMs} ms.");
            }
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// A password for a person a test creates: fixed for the name, and not guessable from it (the password rules refuse
    /// one that contains the person's own name).
    /// </summary>
    public static string PasswordFor(string userName) =>
        "amber-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(userName)))[..12].ToLowerInvariant() + "-kite";

    /// <summary>The authenticator code of a key (RFC 6238: SHA-1, 6 digits, 30 s) at this moment, computed here, not by the server.</summary>
    public static string AuthenticatorCode(string key) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();

    /// <summary>Saves the page as a phone (360×740) and a desktop (1280×800) sees it, under TestResults/screenshots.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        foreach (var (w, h) in new[] { (360, 740), (1280, 800) })
        {
            await page.SetViewportSizeAsync(w, h);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}-{w}x{h}.png"), FullPage = true });
        }
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
