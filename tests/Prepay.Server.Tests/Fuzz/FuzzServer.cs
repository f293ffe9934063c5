using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Server.Demo;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Server.Tests.Fuzz;

/// <summary>
/// A server with the demo's data and people (an admin, a clerk and a customer, with their authenticator keys), in
/// Development so that sign-in cookies travel over plain http on loopback, and what the fuzzer fills forms and routes with.
/// </summary>
public abstract partial class FuzzServer : ServerFixture
{
    private readonly string _seedDir = Path.Combine(Path.GetTempPath(), "prepay-tests", "fuzz-" + Guid.NewGuid().ToString("N"));
    private Task<Seeded>? _seeded;

    protected override string[] Args => ["--environment", "Development"];

    public sealed record Seeded(DemoData.DemoKeys Keys, DemoData.DemoLogins Logins, IReadOnlyDictionary<string, string[]> Values);

    /// <summary>The demo data, seeded once per server, and real values to put in routes and bodies.</summary>
    public Task<Seeded> SeededAsync() => _seeded ??= SeedAsync();

    private async Task<Seeded> SeedAsync()
    {
        Directory.CreateDirectory(_seedDir);
        var keys = await DemoData.SeedAsync(Services, _seedDir, CancellationToken.None);
        var logins = await DemoData.SeedLoginsAsync(Services, _seedDir, CancellationToken.None);
        Directory.Delete(_seedDir, recursive: true);
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var values = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["meterNumber"] = [.. await db.Meters.Select(m => m.MeterNumber).Take(6).ToListAsync()],
            ["code"] = [.. await db.Sites.Select(s => s.Code).ToListAsync(), .. await db.Vendors.Select(v => v.Code).ToListAsync(), .. await db.Tariffs.Select(t => t.Code).Distinct().ToListAsync()],
            ["label"] = [.. await db.Premises.Select(p => p.Label).Take(4).ToListAsync()],
            ["guid"] = [.. (await db.Customers.Select(c => c.Id).Take(3).ToListAsync()).Select(g => g.ToString()), .. (await db.Vends.Select(v => v.Id).Take(3).ToListAsync()).Select(g => g.ToString()), Guid.NewGuid().ToString()],
            ["provider"] = ["sandbox", "nobody"],
            ["long"] = ["1", "2", "0", "-1", "9223372036854775807"],
        };
        return new Seeded(keys, logins, values);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    /// <summary>A client with its own cookies that follows no redirects, signed in as <paramref name="login"/> (null: nobody).</summary>
    public async Task<(HttpClient Client, string Token)> BrowserAsync(DemoData.DemoLogin? login, string tokenPage)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        if (login is not null)
        {
            var token = await TokenAsync(client, "/login");
            using var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = login.UserName, ["Password"] = login.Password, ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            if (signIn.Headers.Location?.OriginalString.Contains("two-factor", StringComparison.Ordinal) == true)
            {
                var second = await TokenAsync(client, "/login/two-factor");
                var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(login.AuthenticatorKey!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();
                using var answer = await client.PostAsync("/login/two-factor?handler=Code", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Code"] = code, ["__RequestVerificationToken"] = second,
                }));
                Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            }
        }
        return (client, await TokenAsync(client, tokenPage));
    }

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)page.StatusCode}");
        return FormToken().Match(html).Groups[1].Value;
    }
}

public sealed class SqliteFuzzServer : FuzzServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresFuzzServer : FuzzServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
