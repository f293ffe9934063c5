using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Pages.Account;

/// <summary>Changing one's own password (<see cref="PasswordChange"/>); the same for every role.</summary>
[Authorize(Policy = PagePolicies.Person)]
public sealed class PasswordModel(PasswordChange change, UserManager<PersonAccount> users) : PageModel
{
    [BindProperty]
    public string? Current { get; set; }

    [BindProperty]
    public string? Proposed { get; set; }

    [BindProperty]
    public string? Confirmed { get; set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var person = await users.GetUserAsync(User);
        if (person is null)
        {
            return Challenge();
        }
        switch (await change.ChangeAsync(person, Current, Proposed, Confirmed, ct))
        {
            case PasswordChange.Outcome.Changed:
                Message = "Your password is changed. Your other sessions have ended.";
                break;
            case PasswordChange.Outcome.WrongCurrent:
                Error = $"Your current password is not right. After {PasswordRules.MaxFailedAttempts} wrong passwords in a row the account is locked for {PasswordRules.LockoutDuration.TotalMinutes:0} minutes.";
                break;
            case PasswordChange.Outcome.Refused r:
                Error = r.Message;
                break;
            default:
                throw new InvalidOperationException("Unhandled password change outcome.");
        }
        Current = Proposed = Confirmed = null;
        return Page();
    }
}
