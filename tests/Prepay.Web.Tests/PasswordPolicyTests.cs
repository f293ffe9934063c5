using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage.Records.People;

namespace Prepay.Web.Tests;

/// <summary>The password rules, through the same UserManager the pages use; no browser needed.</summary>
public sealed class PasswordPolicyTests(WebFixture web) : IClassFixture<WebFixture>
{
    [Theory]
    [InlineData("short-pw-1")]
    [InlineData("password1234")]
    [InlineData("QWERTY123456")]
    public async Task Short_or_common_passwords_are_refused(string password)
    {
        await using var scope = web.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>();
        var result = await users.CreateAsync(new PersonAccount { Id = Guid.CreateVersion7(), UserName = "weak-" + Guid.NewGuid().ToString("N")[..8] }, password);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task A_long_uncommon_password_is_accepted()
    {
        await using var scope = web.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>();
        var result = await users.CreateAsync(new PersonAccount { Id = Guid.CreateVersion7(), UserName = "strong-" + Guid.NewGuid().ToString("N")[..8] }, "meter reading at dawn 42");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
