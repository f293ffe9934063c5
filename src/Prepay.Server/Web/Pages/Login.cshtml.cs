using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Pages;

/// <summary>
/// Sign-in with user name and password (<see cref="PasswordSignIn"/>). Five wrong passwords in a row lock the account
/// for fifteen minutes; every refusal reads the same.
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(PasswordSignIn passwords) : PageModel
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
        switch (await passwords.SignInAsync(UserName, Password, ct))
        {
            case PasswordSignIn.Outcome.SignedIn signedIn:
                var home = await Prepay.Server.Web.Account.SignInLanding.PathAsync(HttpContext.RequestServices.GetRequiredService<UserManager<PersonAccount>>(), signedIn.Person);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : home);
            case PasswordSignIn.Outcome.SecondFactorNeeded:
                return RedirectToPage("/Account/LoginTwoFactor", new { ReturnUrl });
            default:
                Error = PasswordSignIn.RefusedMessage;
                return Page();
        }
    }
}
