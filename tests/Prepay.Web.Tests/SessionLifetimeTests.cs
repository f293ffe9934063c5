using System.Diagnostics;
using Microsoft.Playwright;
using Prepay.Server.Web;

namespace Prepay.Web.Tests;

/// <summary>A server whose sign-ins last 6 seconds idle and 14 seconds at most, so both limits are reached in a test.</summary>
public sealed class ShortSessionWebFixture : WebFixture
{
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan Absolute = TimeSpan.FromSeconds(14);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Sessions:IdleTimeout"] = Idle.ToString(),
        ["Sessions:AbsoluteLifetime"] = Absolute.ToString(),
    };
}

/// <summary>
/// Sessions end when idle, however often the page refreshes itself in the background, and after their absolute
/// lifetime however active. Real time (the sign-in cookie keeps the server's real clock), bounded to about 16 s.
/// </summary>
public sealed class SessionLifetimeTests(ShortSessionWebFixture web) : IClassFixture<ShortSessionWebFixture>
{
    private static async Task<int> StatusAsync(IPage page, bool background)
    {
        var response = await page.APIRequest.GetAsync("/pos", new()
        {
            MaxRedirects = 0,
            Headers = background ? new Dictionary<string, string> { [SessionOptions.BackgroundHeader] = "1" } : null,
        });
        return response.Status;
    }

    [Fact]
    public async Task Background_refreshes_do_not_keep_a_session_alive_activity_does_until_its_absolute_lifetime()
    {
        // One sign-in, its cookie shared by two browsers: one only polls, the other is used. The session's age lies
        // between the two stopwatches whatever a slow machine makes of the sign-in: "still alive" is asserted only
        // while even the older bound is young enough, "ended" only once even the younger bound is old enough.
        var active = await web.NewPageAsync();
        var polled = await web.NewPageAsync();
        var atMostSinceSignIn = Stopwatch.StartNew();
        await WebFixture.SignInAsync(active, web.Logins.Clerk);
        var atLeastSinceSignIn = Stopwatch.StartNew();
        await polled.Context.AddCookiesAsync((await active.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        bool Young() => atMostSinceSignIn.Elapsed < ShortSessionWebFixture.Absolute - TimeSpan.FromSeconds(1);
        bool NotIdleYet() => atMostSinceSignIn.Elapsed < ShortSessionWebFixture.Idle - TimeSpan.FromSeconds(1);

        var polledFirst = await StatusAsync(polled, background: true);
        var activeFirst = await StatusAsync(active, background: false);
        Assert.SkipUnless(NotIdleYet(), "this machine took nearly the idle timeout to sign in and ask twice: the session's liveness cannot be told apart from its load");
        Assert.Equal(200, polledFirst);
        Assert.Equal(200, activeFirst);

        // Once a second for longer than the idle timeout.
        while (atLeastSinceSignIn.Elapsed < ShortSessionWebFixture.Idle + TimeSpan.FromSeconds(1.5))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            await StatusAsync(polled, background: true);
            var status = await StatusAsync(active, background: false);
            if (Young())
            {
                Assert.Equal(200, status);
            }
        }
        Assert.Equal(302, await StatusAsync(polled, background: false));

        // Used all the while, the other still ends at its absolute lifetime.
        while (atLeastSinceSignIn.Elapsed < ShortSessionWebFixture.Absolute + TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            var status = await StatusAsync(active, background: false);
            if (Young())
            {
                Assert.Equal(200, status);
            }
        }
        Assert.Equal(302, await StatusAsync(active, background: false));
    }
}
