using Microsoft.AspNetCore.Identity;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Account;

/// <summary>Where a person lands after signing in when no page asked for them: their work, by role.</summary>
public static class SignInLanding
{
    public static async Task<string> PathAsync(UserManager<PersonAccount> users, PersonAccount? person)
    {
        if (person is null)
        {
            return "/";
        }
        var roles = await users.GetRolesAsync(person);
        return roles.Contains(PeopleRoles.Admin) || roles.Contains(PeopleRoles.Operator) ? "/console"
            : roles.Contains(PeopleRoles.VendorClerk) ? "/pos"
            : "/";
    }
}
