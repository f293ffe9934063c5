using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.People;

namespace Prepay.Web.Tests;

/// <summary>
/// An unknown user name costs the same as a wrong password: both hash a password. Without that, an unknown name is
/// answered after one indexed read and a wrong password after a whole key derivation (tens of times longer), which
/// tells anyone timing the answers which user names exist. The bound (a factor of 3 either way, medians of 7) is
/// loose enough for a shared machine and far tighter than the difference it guards against.
/// </summary>
public sealed class SignInTimingTests(WebFixture web) : IClassFixture<WebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_user_a_wrong_password_and_a_locked_account_take_about_as_long()
    {
        var name = "timing-" + Guid.NewGuid().ToString("N")[..8];
        var locked = "timing-locked-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = web.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>();
            var person = await PeopleAccounts.EnsureAsync(users, name, "timing-password-right-1", PeopleRoles.Operator);
            await users.SetLockoutEnabledAsync(person, false); // many wrong passwords here must not lock it
            var lockedPerson = await PeopleAccounts.EnsureAsync(users, locked, "timing-password-right-2", PeopleRoles.Operator);
            await users.SetLockoutEndDateAsync(lockedPerson, DateTimeOffset.MaxValue);
        }

        await AttemptAsync(name, "warm-up-password"); // first use builds the hasher and the queries
        await AttemptAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "warm-up-password");
        var wrong = new List<double>();
        var unknown = new List<double>();
        var lockedOut = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            wrong.Add(await AttemptAsync(name, "wrong-password-" + i));
            unknown.Add(await AttemptAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "wrong-password-" + i));
            lockedOut.Add(await AttemptAsync(locked, "timing-password-right-2"));
        }
        var (w, u, l) = (Median(wrong), Median(unknown), Median(lockedOut));
        Assert.InRange(u / w, 1 / 3.0, 3.0);
        Assert.InRange(l / w, 1 / 3.0, 3.0);
    }

    private async Task<double> AttemptAsync(string user, string password)
    {
        await using var scope = web.Services.CreateAsyncScope();
        // The sign-in manager writes its cookie on success only; a context is all it needs to be asked.
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var signIn = scope.ServiceProvider.GetRequiredService<PasswordSignIn>();
        var watch = Stopwatch.StartNew();
        var outcome = await signIn.SignInAsync(user, password, Ct);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        Assert.IsType<PasswordSignIn.Outcome.Refused>(outcome);
        return elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
