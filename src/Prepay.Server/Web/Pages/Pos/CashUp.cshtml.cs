using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Pos;
using Prepay.Storage;
using Prepay.Vending.Pricing;

namespace Prepay.Server.Web.Pages.Pos;

/// <summary>The clerk's end-of-day cash-up for their own vendor (<see cref="CashUps"/>); viewing it is audited.</summary>
[Authorize(Policy = PagePolicies.Clerk)]
public sealed class CashUpModel(PrepayDb db, IClock clock, TariffCatalog tariffs, IConfiguration configuration) : PageModel
{
    public CashUpReport? Report { get; private set; }

    public string? Error { get; private set; }

    public LocalDate Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? day, CancellationToken ct)
    {
        var actor = PersonActor.Clerk(User);
        var now = clock.GetCurrentInstant();
        var vendorCurrency = await db.Vendors.Where(v => v.Id == actor.VendorId).Select(v => v.Currency).FirstOrDefaultAsync(ct) ?? "ZAR";
        var zone = await CashUps.ZoneAsync(db, tariffs, configuration, vendorCurrency, now, ct);
        Today = now.InZone(zone).Date;
        var date = Today;
        if (!string.IsNullOrWhiteSpace(day))
        {
            var parsed = LocalDatePattern.Iso.Parse(day.Trim());
            if (!parsed.Success)
            {
                Error = "Enter the day as year-month-day, such as " + LocalDatePattern.Iso.Format(Today) + ".";
                return Page();
            }
            date = parsed.Value;
        }
        if (date > Today)
        {
            Error = "That day has not come yet.";
            return Page();
        }
        Report = await CashUps.ForDayAsync(db, actor.VendorId!.Value, date, zone, now, ct);
        if (Report is null)
        {
            return NotFound();
        }
        await PeopleAudit.RecordAsync(db, clock, actor.AuditName, "pos.cashup.view", $"vendor/{actor.VendorId}", LocalDatePattern.Iso.Format(date), ct);
        return Page();
    }
}
