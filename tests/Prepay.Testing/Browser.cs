using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Server.Web.Account;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.People;
using static Prepay.Testing.Scenario;

namespace Prepay.Testing;

/// <summary>
/// A browser as the pages see one: its own cookies, no redirects followed, signed in through /login (and the
/// authenticator step for staff). People are made for the test: a customer bound to a customer record, or an operator.
/// </summary>
public static partial class Browser
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<HttpClient> CustomerAsync(ServerFixture server, Guid customerId)
    {
        var (user, password) = await PersonAsync(server, PeopleRoles.Customer, customerId);
        return await SignInAsync(server, user, password, authenticatorKey: null);
    }

    public static async Task<HttpClient> OperatorAsync(ServerFixture server)
    {
        var (user, password, key) = await StaffAsync(server, PeopleRoles.Operator);
        return await SignInAsync(server, user, password, key);
    }

    public static async Task<HttpClient> AdminAsync(ServerFixture server)
    {
        var (user, password, key) = await StaffAsync(server, PeopleRoles.Admin);
        return await SignInAsync(server, user, password, key);
    }

    /// <summary>An API key of a role, made by the fixture's admin.</summary>
    public static async Task<HttpClient> KeyAsync(ServerFixture server, string role, string? vendorCode = null)
    {
        using var admin = server.Client();
        var key = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = role + "-" + Guid.NewGuid().ToString("N")[..6], role, vendorCode }, Ct));
        return server.Client(key["key"]!.GetValue<string>());
    }

    /// <summary>The page's form token, for a post from it.</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path, Ct);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)page.StatusCode}");
        return FormToken().Match(await page.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
    }

    private static async Task<(string User, string Password)> PersonAsync(ServerFixture server, string role, Guid? customerId)
    {
        var (user, password) = (role + "-" + Guid.NewGuid().ToString("N")[..8], PeopleAccounts.NewPassword());
        await using var scope = server.Scope();
        await PeopleAccounts.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
        await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), user, password, role, customerId: customerId);
        return (user, password);
    }

    private static async Task<(string User, string Password, string Key)> StaffAsync(ServerFixture server, string role)
    {
        var (user, password) = (role + "-" + Guid.NewGuid().ToString("N")[..8], PeopleAccounts.NewPassword());
        await using var scope = server.Scope();
        await PeopleAccounts.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>();
        var person = await PeopleAccounts.EnsureAsync(users, user, password, role);
        return (user, password, await Authenticators.EnrolAsync(users, person));
    }

    private static async Task<HttpClient> SignInAsync(ServerFixture server, string user, string password, string? authenticatorKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var token = await FormTokenAsync(client, "/login");
        using var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        if (signIn.Headers.Location?.OriginalString.Contains("two-factor", StringComparison.Ordinal) == true)
        {
            var second = await FormTokenAsync(client, "/login/two-factor");
            var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(authenticatorKey!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();
            using var answer = await client.PostAsync("/login/two-factor?handler=Code", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Code"] = code, ["__RequestVerificationToken"] = second,
            }), Ct);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        }
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
