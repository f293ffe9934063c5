using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Pages;

/// <summary>Signing out is a form post (with its antiforgery token), so no link on another site can sign anyone out.</summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<PersonAccount> signIn, UserManager<PersonAccount> users) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? RedirectToPage("/Index") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        // The cookie is removed from this browser; a new security stamp makes any copy of it fail its next check
        // (WebSetup: every request), so the session ends on the server too, not only here.
        if (await users.GetUserAsync(User) is { } person)
        {
            await users.UpdateSecurityStampAsync(person);
        }
        await signIn.SignOutAsync();
        return RedirectToPage("/Logout");
    }
}
