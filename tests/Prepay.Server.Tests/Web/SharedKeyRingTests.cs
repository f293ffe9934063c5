using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Prepay.Server;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;
using Prepay.Testing;

namespace Prepay.Server.Tests.Web;

/// <summary>
/// Several nodes on one database share the web's data-protection keys: a sign-in made on one node, and a form served
/// by one node, are good on the next; the keys are stored encrypted under a secret that is not in the database, and a
/// node with another secret cannot use them.
/// </summary>
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private const string Secret = "key-ring-secret-for-these-tests-0001";
    private const string Person = "keyring-person";
    private const string Password = "amber-5f3c9e1d7a2b-kite";

    private readonly List<WebApplication> _nodes = [];
    private readonly List<string> _dataDirs = [];
    private string _connection = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_sign_in_made_on_one_node_is_good_on_another_and_a_form_from_one_posts_to_the_other(DatabaseProvider provider)
    {
        var (a, b) = (await StartNodeAsync(provider, Secret), await StartNodeAsync(provider, Secret));
        await using (var scope = a.Services.CreateAsyncScope())
        {
            await AddPersonAsync(scope.ServiceProvider);
        }
        using var toA = Client(a);
        using var toB = Client(b);

        // The sign-in form comes from node A and is posted to node B.
        var (formCookie, token) = await Http.SensitiveRateLimitTests.FormAsync(toA, "/login");
        using var signIn = await PostFormAsync(toB, "/login", formCookie, token);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        // The session made by node B opens a person's page on node A.
        using var onA = await GetWithCookieAsync(toA, "/account/password", session);
        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        using var anonymous = await GetWithCookieAsync(toA, "/account/password", "");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_stored_keys_are_encrypted_and_a_node_with_another_secret_cannot_use_them(DatabaseProvider provider)
    {
        var a = await StartNodeAsync(provider, Secret);
        await using (var scope = a.Services.CreateAsyncScope())
        {
            await AddPersonAsync(scope.ServiceProvider);
        }
        using var toA = Client(a);
        var (formCookie, token) = await Http.SensitiveRateLimitTests.FormAsync(toA, "/login");
        using var signIn = await PostFormAsync(toA, "/login", formCookie, token);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        await using (var scope = a.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<PrepayDb>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync(Ct);
            Assert.NotEmpty(stored);
            Assert.All(stored, xml =>
            {
                Assert.Contains("prepayEncryptedKey", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            });
        }

        var other = await StartNodeAsync(provider, "another-secret-entirely-0002");
        using var toOther = Client(other);
        using var there = await GetWithCookieAsync(toOther, "/account/password", session);
        Assert.Equal(HttpStatusCode.Redirect, there.StatusCode);
        Assert.Contains("/login", there.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static async Task AddPersonAsync(IServiceProvider services)
    {
        await PeopleAccounts.EnsureRolesAsync(services.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
        await PeopleAccounts.EnsureAsync(services.GetRequiredService<UserManager<PersonAccount>>(), Person, Password, PeopleRoles.Customer);
    }

    private async Task<WebApplication> StartNodeAsync(DatabaseProvider provider, string secret)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.SkipUnless(Databases.PostgresAvailable, "PostgreSQL not configured: set PREPAY_TEST_POSTGRES (the README's test command does).");
        }
        if (_connection.Length == 0)
        {
            _connection = provider == DatabaseProvider.Postgres
                ? await Databases.CreatePostgresDatabaseAsync()
                : $"Data Source={Path.Combine(Path.GetTempPath(), "prepay-tests", Guid.NewGuid().ToString("N") + ".db")};Default Timeout=30";
        }
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-tests", Guid.NewGuid().ToString("N"));
        _dataDirs.Add(dataDir);
        var app = PrepayServer.Build(new ServerSettings
        {
            Args = ["--environment", "Development"],
            Urls = "http://127.0.0.1:0",
            DataDirectory = dataDir,
            Clock = new FakeClock(Instant.FromUtc(2026, 11, 23, 8, 0)),
            Overrides = new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider.ToString(),
                ["Storage:ConnectionString"] = _connection,
                ["DataProtection:KeySecret"] = secret,
                ["Logging:LogLevel:Default"] = "Critical",
                ["Mqtt:Port"] = "0",
            },
        });
        _nodes.Add(app);
        await app.PrepareAsync();
        await app.StartAsync(Ct);
        return app;
    }

    private static HttpClient Client(WebApplication node) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
        };

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string cookie, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = Person, ["Password"] = Password, ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie.Length > 0)
        {
            request.Headers.Add("Cookie", cookie);
        }
        return await client.SendAsync(request, Ct);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
        foreach (var dir in _dataDirs.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
