using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.Account;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Pages.Account;

/// <summary>
/// The second step of signing in for people with an authenticator: the password was right, now the 6-digit code
/// (or one of the recovery codes). Wrong codes count towards the same lockout as wrong passwords.
/// </summary>
[AllowAnonymous]
public sealed class LoginTwoFactorModel(SignInManager<PersonAccount> signIn, PrepayDb db, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Login") : Page();

    public async Task<IActionResult> OnPostCodeAsync(CancellationToken ct)
    {
        var person = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (person is null)
        {
            return RedirectToPage("/Login");
        }
        var code = new string((Code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6)
        {
            Error = "Enter the 6-digit code your authenticator app shows.";
            return Page();
        }
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        return await OutcomeAsync(person, result, "code", ct);
    }

    public async Task<IActionResult> OnPostRecoveryAsync(CancellationToken ct)
    {
        var person = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (person is null)
        {
            return RedirectToPage("/Login");
        }
        var code = (RecoveryCode ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        if (code.Length == 0)
        {
            Error = "Enter one of your recovery codes.";
            return Page();
        }
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        return await OutcomeAsync(person, result, "recovery code", ct);
    }

    private async Task<IActionResult> OutcomeAsync(PersonAccount person, Microsoft.AspNetCore.Identity.SignInResult result, string how, CancellationToken ct)
    {
        var name = person.UserName ?? "?";
        if (result.Succeeded)
        {
            await PeopleAudit.RecordAsync(db, clock, "person:" + name, "person.sign-in", "person/" + name, "with " + how, ct);
            var home = await SignInLanding.PathAsync(signIn.UserManager, person);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : home);
        }
        if (result.IsLockedOut)
        {
            await PeopleAudit.RecordAsync(db, clock, "person:" + name, "person.locked-out", "person/" + name, "wrong " + how, ct);
            Error = $"This account is locked after {PasswordRules.MaxFailedAttempts} failed attempts. Try again in {PasswordRules.LockoutDuration.TotalMinutes:0} minutes, or ask an administrator.";
            return Page();
        }
        await PeopleAudit.RecordAsync(db, clock, "person:" + name, "person.sign-in-failed", "person/" + name, "wrong " + how, ct);
        Error = how == "code" ? "That code is not right. Codes change every 30 seconds: enter the one shown now." : "That recovery code is not right or was used before.";
        return Page();
    }
}
