using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Pages;

/// <summary>Signing out is a form post (with its antiforgery token), so no link on another site can sign anyone out.</summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<PersonAccount> signIn) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? RedirectToPage("/Index") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return RedirectToPage("/Logout");
    }
}
