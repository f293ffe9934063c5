extern alias virtualmeters;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.Operations;
using Prepay.Server.Web.Devices;
using Prepay.Storage;
using Prepay.Storage.Records;
using virtualmeters::Prepay.Meter.Devices;
using virtualmeters::Prepay.Meter.Events;

namespace Prepay.Server.Web.Pages.Meters;

/// <summary>
/// The meter in front of you: a simulated meter's screen (credit, register, supply, alarms, low-credit warning) and
/// its keypad. A token typed here goes to the running meter exactly as a customer's would, and the meter's answer
/// (accept, used, old, reject) is shown with the credit it added. The screen refreshes itself (<c>?handler=Screen</c>).
/// Meters that do not run in this server's process (real ones, or a fleet elsewhere) have no page here.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class DeviceModel(VirtualMeterRegistry devices, PrepayDb db, IClock clock) : PageModel
{
    public string MeterNumber { get; private set; } = "";

    public DeviceScreen? Screen { get; private set; }

    public bool HasKeypad { get; private set; }

    [BindProperty]
    public string? Token { get; set; }

    public string? Verdict { get; private set; }

    public string? VerdictMeaning { get; private set; }

    public string? CreditAdded { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string meterNumber, CancellationToken ct)
    {
        await ShowAsync(meterNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetScreenAsync(string meterNumber, CancellationToken ct) =>
        devices.Find(meterNumber) is { } meter ? new JsonResult(DeviceScreen.From(meter.MeterNumber, await meter.ReadDisplayAsync(ct))) : NotFound();

    public async Task<IActionResult> OnPostKeyAsync(string meterNumber, CancellationToken ct)
    {
        var meter = devices.Find(meterNumber);
        if (meter is null || !meter.HasKeypad)
        {
            await ShowAsync(meterNumber, ct);
            return Page();
        }
        var digits = new string((Token ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 20)
        {
            Error = "A token has 20 digits; type all of them (spaces and dashes are ignored).";
            await ShowAsync(meterNumber, ct);
            return Page();
        }
        var outputs = await meter.EnterTokenAsync(digits, ct);
        string result;
        if (outputs.OfType<TokenAccepted>().FirstOrDefault() is { } accepted)
        {
            Verdict = DeviceScreen.KeypadWord(Prepay.Sts.Meter.KeypadResult.Accept);
            VerdictMeaning = DeviceScreen.KeypadMeaning(Prepay.Sts.Meter.KeypadResult.Accept) + " " + accepted.Description;
            CreditAdded = ConsoleFormat.Kwh(accepted.CreditAddedWh);
            result = "accept";
        }
        else if (outputs.OfType<TokenRejected>().FirstOrDefault() is { } rejected)
        {
            Verdict = DeviceScreen.KeypadWord(rejected.Result);
            VerdictMeaning = DeviceScreen.KeypadMeaning(rejected.Result);
            result = rejected.Result.ToString().ToLowerInvariant();
        }
        else
        {
            Verdict = "NO ANSWER";
            VerdictMeaning = "The meter did not react: it has no mains supply, so its keypad is dark.";
            result = "dark";
        }
        // The token itself stays out of the log: the last four digits tell it apart on a receipt.
        db.Audit.Add(new AuditRecord { At = clock.GetCurrentInstant(), Actor = StaffActor.AuditName(User), Action = "device.keypad", Target = $"meter/{meter.MeterNumber}", Details = $"token …{digits[^4..]}: {result}" });
        await db.SaveChangesAsync(ct);
        Token = null;
        await ShowAsync(meterNumber, ct);
        return Page();
    }

    private async Task ShowAsync(string meterNumber, CancellationToken ct)
    {
        MeterNumber = meterNumber;
        if (devices.Find(meterNumber) is { } meter)
        {
            MeterNumber = meter.MeterNumber;
            HasKeypad = meter.HasKeypad;
            Screen = DeviceScreen.From(meter.MeterNumber, await meter.ReadDisplayAsync(ct));
        }
    }
}
