using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.People;

/// <summary>Creates people with a role and, for clerks and customers, the vendor or customer they are bound to.</summary>
public static class PeopleAccounts
{
    public static async Task EnsureRolesAsync(RoleManager<IdentityRole<Guid>> roles)
    {
        foreach (var role in PeopleRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }), role);
            }
        }
    }

    /// <summary>Creates the person, or sets the password of an existing one; adds the role and binding claim when missing.</summary>
    public static async Task<PersonAccount> EnsureAsync(UserManager<PersonAccount> users, string userName, string password, string role, Guid? vendorId = null, Guid? customerId = null)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new PersonAccount { Id = Guid.CreateVersion7(), UserName = userName, LockoutEnabled = true };
            Check(await users.CreateAsync(user, password), userName);
        }
        else
        {
            Check(await users.RemovePasswordAsync(user), userName);
            Check(await users.AddPasswordAsync(user, password), userName);
        }
        if (!await users.IsInRoleAsync(user, role))
        {
            Check(await users.AddToRoleAsync(user, role), userName);
        }
        var claims = await users.GetClaimsAsync(user);
        if (vendorId is { } v && !claims.Any(c => c.Type == PeopleClaims.VendorId))
        {
            Check(await users.AddClaimAsync(user, new Claim(PeopleClaims.VendorId, v.ToString("D", CultureInfo.InvariantCulture))), userName);
        }
        if (customerId is { } c && !claims.Any(x => x.Type == PeopleClaims.CustomerId))
        {
            Check(await users.AddClaimAsync(user, new Claim(PeopleClaims.CustomerId, c.ToString("D", CultureInfo.InvariantCulture))), userName);
        }
        return user;
    }

    /// <summary>A random password of 20 letters and digits (about 119 bits), for demo and first accounts.</summary>
    public static string NewPassword() =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not set up '{what}': {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
