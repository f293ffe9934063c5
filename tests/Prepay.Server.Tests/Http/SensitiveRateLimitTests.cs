using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;
using Prepay.Testing;

namespace Prepay.Server.Tests.Http;

/// <summary>A SQLite server with small allowances for sign-in (3 a minute) and payment callbacks (bursts of 3).</summary>
public class SensitiveLimitServer : ServerFixture
{
    public const int SignIns = 3;
    public const int Callbacks = 3;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    // Plain http on loopback: the sign-in form's cookie may not be Secure-only.
    protected override string[] Args => ["--environment", "Development"];

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["RateLimit:SignInPerMinute"] = SignIns.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit:RechargePerMinute"] = SignIns.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit:CallbacksPerSecond"] = "1",
        ["RateLimit:CallbacksBurst"] = Callbacks.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// The same in production, behind a reverse proxy on loopback that the server is told to believe: the proxy ends TLS
/// and says so with <c>X-Forwarded-Proto: https</c>.
/// </summary>
public sealed class ProxiedSensitiveLimitServer : SensitiveLimitServer
{
    protected override string[] Args => [];

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Proxies:Addresses:0"] = "127.0.0.1",
    };
}

/// <summary>
/// Guessing requests (passwords, codes, meters, signatures) get a small allowance per client address, refused before
/// anything reads or writes; forwarded addresses count only from a named proxy.
/// </summary>
public sealed partial class SensitiveRateLimitTests(SensitiveLimitServer server) : IClassFixture<SensitiveLimitServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    internal static partial Regex FormToken();

    /// <summary>A page's form as a browser would post it: its antiforgery cookie and field (cookies passed by hand).</summary>
    internal static async Task<(string Cookie, string Token)> FormAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var cookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        return (cookie, FormToken().Match(await page.Content.ReadAsStringAsync(Ct)).Groups[1].Value);
    }

    /// <summary>
    /// A client whose connections leave from <paramref name="localAddress"/> (any 127.x.y.z is this machine), so that
    /// each test has its own per-address allowance whatever order the tests run in.
    /// </summary>
    internal static HttpClient FromLoopback(Uri baseAddress, string localAddress) =>
        new(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = baseAddress };

    internal static HttpRequestMessage SignInPost(string cookie, string token, string user, string password, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", cookie);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    [Fact]
    public async Task Sign_ins_beyond_the_allowance_are_refused_before_anything_is_written()
    {
        var user = "limited-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = server.Scope())
        {
            await PeopleAccounts.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
            await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), user, "limited-password-right-1", PeopleRoles.Operator);
        }
        using var client = FromLoopback(server.BaseAddress, "127.0.0.2");
        var (cookie, token) = await FormAsync(client, "/login");
        var statuses = new List<HttpStatusCode>();
        string? refusal = null;
        for (var i = 0; i < SensitiveLimitServer.SignIns + 3; i++)
        {
            using var response = await client.SendAsync(SignInPost(cookie, token, user, "wrong-password-" + i), Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refusal ??= $"{response.Content.Headers.ContentType?.MediaType} {await response.Content.ReadAsStringAsync(Ct)}";
            }
        }
        // Wrong passwords answer the page again (200) while the allowance lasts, 429 after it; only the allowed
        // ones were counted against the person and audited.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, SensitiveLimitServer.SignIns), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
        Assert.StartsWith("application/problem+json", refusal);
        Assert.Contains("3 sign-ins a minute", refusal, StringComparison.Ordinal);
        await using var check = server.Scope();
        var db = check.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(SensitiveLimitServer.SignIns, await db.Audit.CountAsync(a => a.Target == "person/" + user, Ct));
        Assert.Equal(SensitiveLimitServer.SignIns, (await db.Users.SingleAsync(u => u.UserName == user, Ct)).AccessFailedCount);

        // The rest of the site is not on this allowance.
        using var page = await client.GetAsync("/login", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Payment_callbacks_beyond_the_allowance_are_refused_without_an_audit_row()
    {
        using var client = server.Client(apiKey: null);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var before = await db.Audit.CountAsync(a => a.Action == "payment.callback.refused", Ct);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < SensitiveLimitServer.Callbacks + 4; i++)
        {
            using var response = await client.PostAsync("/api/v1/payments/callbacks/sandbox",
                new StringContent("{\"forged\":true}", System.Text.Encoding.UTF8, "application/json"), Ct);
            statuses.Add(response.StatusCode);
        }
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        // At most the burst plus one refill (1 a second) got through, and each of those was refused and audited.
        Assert.InRange(limited, 3, 4);
        Assert.All(statuses.Where(s => s != HttpStatusCode.TooManyRequests), s => Assert.True((int)s is >= 400 and < 500));
        var after = await db.Audit.CountAsync(a => a.Action == "payment.callback.refused", Ct);
        Assert.Equal(statuses.Count - limited, after - before);
    }

    [Fact]
    public async Task Without_a_named_proxy_a_forwarded_address_buys_no_fresh_allowance()
    {
        using var client = FromLoopback(server.BaseAddress, "127.0.0.3");
        var (cookie, token) = await FormAsync(client, "/login");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < SensitiveLimitServer.SignIns + 2; i++)
        {
            using var response = await client.SendAsync(SignInPost(cookie, token, "nobody-" + i, "some-password", forwardedFor: $"203.0.113.{i + 1}"), Ct);
            statuses.Add(response.StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}

/// <summary>Behind a named proxy, each client address the proxy forwards has its own allowance.</summary>
public sealed class ProxiedRateLimitTests(ProxiedSensitiveLimitServer server) : IClassFixture<ProxiedSensitiveLimitServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient ThroughProxy()
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    [Fact]
    public async Task Outside_development_the_cookies_carry_the_host_prefix_and_its_conditions()
    {
        using var client = ThroughProxy();
        using var page = await client.GetAsync("/login", Ct);
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.Contains("antiforgery", StringComparison.Ordinal));
        Assert.StartsWith("__Host-prepay.antiforgery=", antiforgery, StringComparison.Ordinal);
        Assert.Contains("path=/;", antiforgery + ";", StringComparison.Ordinal);
        Assert.Contains("secure", antiforgery, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", antiforgery, StringComparison.OrdinalIgnoreCase);

        var user = "host-cookie-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = server.Scope())
        {
            await PeopleAccounts.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
            await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), user, "host-cookie-password-1", PeopleRoles.Customer);
        }
        var (cookie, token) = await SensitiveRateLimitTests.FormAsync(client, "/login");
        using var signedIn = await client.SendAsync(SensitiveRateLimitTests.SignInPost(cookie, token, user, "host-cookie-password-1", forwardedFor: "203.0.113.200"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.Contains("prepay.session", StringComparison.Ordinal));
        Assert.StartsWith("__Host-prepay.session=", session, StringComparison.Ordinal);
        Assert.Contains("secure", session, StringComparison.Ordinal);
        Assert.Contains("httponly", session, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Behind_a_named_proxy_each_forwarded_client_has_its_own_allowance()
    {
        using var client = ThroughProxy();
        var (cookie, token) = await SensitiveRateLimitTests.FormAsync(client, "/login");
        // Ten clients, two attempts each: all within their own allowance of three.
        for (var i = 0; i < 10; i++)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var response = await client.SendAsync(SensitiveRateLimitTests.SignInPost(cookie, token, "nobody", "some-password", forwardedFor: $"203.0.113.{i + 1}"), Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        // One client going on is limited: of three more, one at most is within its allowance (two, should a slow
        // machine have let the window slide past its first attempts), and once limited it stays limited.
        var last = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await client.SendAsync(SensitiveRateLimitTests.SignInPost(cookie, token, "nobody", "some-password", forwardedFor: "203.0.113.1"), Ct);
            last.Add(response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last[^1]);
        Assert.Equal(HttpStatusCode.OK, last[0]);
        Assert.DoesNotContain(HttpStatusCode.OK, last.SkipWhile(s => s == HttpStatusCode.OK).ToList());
    }
}
