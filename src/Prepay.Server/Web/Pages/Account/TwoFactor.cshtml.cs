using System.Security.Claims;
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
/// Enrolling an authenticator app: the page shows the shared key (as text and as a QR code drawn here), the person
/// proves it with a code, then sees ten recovery codes once. Operators, administrators and clerks are sent here before
/// the console or the point of sale; customers may enrol to protect their portal; anyone signed in may enrol. An enrolled person can make new recovery codes (the old ones stop working).
/// </summary>
[Authorize(Policy = PagePolicies.Person)]
public sealed class TwoFactorModel(UserManager<PersonAccount> users, SignInManager<PersonAccount> signIn, PrepayDb db, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public bool Enrolled { get; private set; }

    public bool Required { get; private set; }

    public string? Key { get; private set; }

    public string? QrDataUrl { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public string? Error { get; private set; }

    public string ContinueTo => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";

    public async Task<IActionResult> OnGetAsync() => await ShowAsync() ?? Page();

    public async Task<IActionResult> OnPostEnrolAsync(CancellationToken ct)
    {
        if (await ShowAsync() is { } gone)
        {
            return gone;
        }
        if (Enrolled)
        {
            return Page();
        }
        var person = (await users.GetUserAsync(User))!;
        var code = new string((Code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6 || !await users.VerifyTwoFactorTokenAsync(person, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await PeopleAudit.RecordAsync(db, clock, Actor, "person.two-factor.enrol-failed", Target, null, ct);
            Error = "That code does not match the key. Check that the app's clock is right and enter the code shown now.";
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(person, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(person, Authenticators.RecoveryCodeCount) ?? []];
        await PeopleAudit.RecordAsync(db, clock, Actor, "person.two-factor.enrol", Target, null, ct);
        // The code was just proved: the session counts as signed in with two factors from now on.
        await signIn.SignInWithClaimsAsync(person, isPersistent: false, [new Claim("amr", "mfa")]);
        Enrolled = true;
        Key = null;
        QrDataUrl = null;
        RecoveryCodesLeft = RecoveryCodes.Count;
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken ct)
    {
        if (await ShowAsync() is { } gone)
        {
            return gone;
        }
        if (!Enrolled)
        {
            Error = "Enrol an authenticator first.";
            return Page();
        }
        var person = (await users.GetUserAsync(User))!;
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(person, Authenticators.RecoveryCodeCount) ?? []];
        RecoveryCodesLeft = RecoveryCodes.Count;
        await PeopleAudit.RecordAsync(db, clock, Actor, "person.two-factor.recovery-codes", Target, null, ct);
        return Page();
    }

    private string Actor => "person:" + User.Identity?.Name;

    private string Target => "person/" + User.Identity?.Name;

    private async Task<IActionResult?> ShowAsync()
    {
        var person = await users.GetUserAsync(User);
        if (person is null)
        {
            return Challenge();
        }
        Enrolled = await users.GetTwoFactorEnabledAsync(person);
        Required = User.IsInRole(PeopleRoles.Operator) || User.IsInRole(PeopleRoles.Admin) || User.IsInRole(PeopleRoles.VendorClerk);
        if (Enrolled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(person);
            return null;
        }
        var hadKey = !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(person));
        Key = await Authenticators.KeyForEnrolmentAsync(users, person);
        if (!hadKey)
        {
            // Making a key renews the person's security stamp, which every page request checks (WebSetup): this
            // session's cookie is renewed with it, or the next request would find it stale and sign them out.
            await signIn.RefreshSignInAsync(person);
        }
        QrDataUrl = Authenticators.QrDataUrl(Authenticators.Uri(person.UserName ?? "", Key));
        return null;
    }
}
