using Microsoft.AspNetCore.Identity;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.People;

/// <summary>
/// The password step of signing in. Whoever asks learns one thing only, whether they are in: an unknown user name, a
/// wrong password and a locked account give the same answer, and take about the same time, since a password is
/// hashed for each of them (ASVS 5.0 V6.3.8: valid users are not deducible from failed attempts; Identity alone
/// answers an unknown name, or a locked account, without hashing anything, a difference of a whole key derivation).
/// </summary>
public sealed class PasswordSignIn(SignInManager<PersonAccount> signIn, IPasswordHasher<PersonAccount> hasher, PrepayDb db, IClock clock)
{
    /// <summary>What a refused sign-in says, whatever the reason.</summary>
    public static readonly string RefusedMessage =
        $"Wrong user name or password. After {PasswordRules.MaxFailedAttempts} wrong passwords in a row an account is locked for {PasswordRules.LockoutDuration.TotalMinutes:0} minutes.";

    private static readonly PersonAccount Nobody = new() { UserName = "nobody" };
    private static string? _nobodysHash;

    public abstract record Outcome
    {
        public sealed record SignedIn(PersonAccount Person) : Outcome;

        /// <summary>The password was right; the authenticator code comes next.</summary>
        public sealed record SecondFactorNeeded : Outcome;

        public sealed record Refused : Outcome;
    }

    public async Task<Outcome> SignInAsync(string userName, string password, CancellationToken ct)
    {
        var name = userName.Trim();
        var audited = "person/" + (name.Length > 100 ? name[..100] : name);
        var person = await signIn.UserManager.FindByNameAsync(name);
        if (person is null || await signIn.UserManager.IsLockedOutAsync(person))
        {
            // Hash the password anyway, against a hash made here once, so the answer comes no sooner than for a
            // wrong password.
            hasher.VerifyHashedPassword(Nobody, _nobodysHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N")), password);
            await PeopleAudit.RecordAsync(db, clock, "person:" + audited[7..], person is null ? "person.sign-in-failed" : "person.locked-out", audited, null, ct);
            return new Outcome.Refused();
        }
        var result = await signIn.PasswordSignInAsync(person, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await PeopleAudit.RecordAsync(db, clock, "person:" + audited[7..], "person.sign-in", audited, null, ct);
            return new Outcome.SignedIn(person);
        }
        if (result.RequiresTwoFactor)
        {
            // The audit records the sign-in after the code.
            return new Outcome.SecondFactorNeeded();
        }
        await PeopleAudit.RecordAsync(db, clock, "person:" + audited[7..], result.IsLockedOut ? "person.locked-out" : "person.sign-in-failed", audited, null, ct);
        return new Outcome.Refused();
    }
}
