using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Prepay.Server.Web.Operations;
using Prepay.Server.Web.People;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>Staff sign-ins for administrators (<see cref="StaffAccounts"/>): create, disable, enable, reset the second factor.</summary>
[Authorize(Policy = StaffPages.AdminPolicy)]
public sealed class PeopleModel(StaffAccounts staff, PrepayDb db) : PageModel
{
    public IReadOnlyList<StaffAccounts.Person> People { get; private set; } = [];

    public IReadOnlyList<string> VendorCodes { get; private set; } = [];

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? VendorCode { get; set; }

    [BindProperty]
    public Guid PersonId { get; set; }

    public string? Message { get; private set; }

    /// <summary>A new person's first password, shown this once.</summary>
    public string? FirstPassword { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var outcome = await staff.CreateAsync(User, UserName, Role, string.IsNullOrWhiteSpace(VendorCode) ? null : VendorCode.Trim(), ct);
        if (outcome is StaffAccounts.Outcome.Done done)
        {
            FirstPassword = done.Password;
            UserName = Role = VendorCode = null;
        }
        return await ShowAsync(outcome, done => $"Created {done.Person.UserName}. Give them this first password in person; they enrol an authenticator at their first sign-in.", ct);
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken ct) =>
        await ShowAsync(await staff.SetDisabledAsync(User, PersonId, disabled: true, ct), d => $"{d.Person.UserName} is disabled; their sessions have ended.", ct);

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken ct) =>
        await ShowAsync(await staff.SetDisabledAsync(User, PersonId, disabled: false, ct), d => $"{d.Person.UserName} may sign in again.", ct);

    public async Task<IActionResult> OnPostResetTwoFactorAsync(CancellationToken ct) =>
        await ShowAsync(await staff.ResetSecondFactorAsync(User, PersonId, ct), d => $"{d.Person.UserName}'s authenticator is forgotten; they enrol a new one at their next sign-in.", ct);

    private async Task<IActionResult> ShowAsync(StaffAccounts.Outcome outcome, Func<StaffAccounts.Outcome.Done, string> done, CancellationToken ct)
    {
        switch (outcome)
        {
            case StaffAccounts.Outcome.Done d:
                Message = done(d);
                break;
            case StaffAccounts.Outcome.Invalid i:
                Error = i.Message;
                break;
            case StaffAccounts.Outcome.Self:
                Error = "Ask another administrator to change your own sign-in.";
                break;
            case StaffAccounts.Outcome.NotFound:
                Error = "No such member of staff.";
                break;
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome}.");
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        People = await staff.ListAsync(ct);
        VendorCodes = await db.Vendors.AsNoTracking().OrderBy(v => v.Code).Select(v => v.Code).ToListAsync(ct);
    }
}
