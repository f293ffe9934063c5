using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Pages;

/// <summary>Sign-in with user name and password. Five wrong passwords in a row lock the account for fifteen minutes.</summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<PersonAccount> signIn, PrepayDb db, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your user name and password.";
            return Page();
        }
        var name = UserName.Trim();
        var result = await signIn.PasswordSignInAsync(name, Password, isPersistent: false, lockoutOnFailure: true);
        var audited = name.Length > 100 ? name[..100] : name;
        if (result.Succeeded)
        {
            await PeopleAudit.RecordAsync(db, clock, "person:" + audited, "person.sign-in", "person/" + audited, null, ct);
            var home = await Prepay.Server.Web.Account.SignInLanding.PathAsync(signIn.UserManager, await signIn.UserManager.FindByNameAsync(name));
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : home);
        }
        if (result.RequiresTwoFactor)
        {
            // The password was right; the authenticator code comes next (the audit records the sign-in after it).
            return RedirectToPage("/Account/LoginTwoFactor", new { ReturnUrl });
        }
        if (result.IsLockedOut)
        {
            await PeopleAudit.RecordAsync(db, clock, "person:" + audited, "person.locked-out", "person/" + audited, null, ct);
            Error = $"This account is locked after {PasswordRules.MaxFailedAttempts} wrong passwords. Try again in {PasswordRules.LockoutDuration.TotalMinutes:0} minutes, or ask an administrator.";
            return Page();
        }
        await PeopleAudit.RecordAsync(db, clock, "person:" + audited, "person.sign-in-failed", "person/" + audited, null, ct);
        Error = "Wrong user name or password.";
        return Page();
    }
}
