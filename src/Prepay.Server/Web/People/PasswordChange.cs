using Microsoft.AspNetCore.Identity;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.People;

/// <summary>
/// A person changes their own password, proving the current one. A wrong current password counts towards the
/// lockout like a wrong sign-in; a new one is held to the sign-in rules (length, the list of breached passwords).
/// The change renews the security stamp, so every other session of the person ends, and this one is signed in again.
/// </summary>
public sealed class PasswordChange(UserManager<PersonAccount> users, SignInManager<PersonAccount> signIn, PrepayDb db, IClock clock)
{
    public abstract record Outcome
    {
        public sealed record Changed : Outcome;

        public sealed record WrongCurrent : Outcome;

        public sealed record Refused(string Message) : Outcome;
    }

    public async Task<Outcome> ChangeAsync(PersonAccount person, string? current, string? proposed, string? confirmed, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(current) || string.IsNullOrEmpty(proposed))
        {
            return new Outcome.Refused("Enter your current password and a new one.");
        }
        if (proposed != confirmed)
        {
            return new Outcome.Refused("The new password and its confirmation differ.");
        }
        var target = "person/" + person.UserName;
        if (!await users.CheckPasswordAsync(person, current))
        {
            await users.AccessFailedAsync(person);
            await PeopleAudit.RecordAsync(db, clock, "person:" + person.UserName, "person.password.change-failed", target, null, ct);
            return new Outcome.WrongCurrent();
        }
        var result = await users.ChangePasswordAsync(person, current, proposed);
        if (!result.Succeeded)
        {
            return new Outcome.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        await users.ResetAccessFailedCountAsync(person);
        await PeopleAudit.RecordAsync(db, clock, "person:" + person.UserName, "person.password.change", target, null, ct);
        await signIn.RefreshSignInAsync(person);
        return new Outcome.Changed();
    }
}
