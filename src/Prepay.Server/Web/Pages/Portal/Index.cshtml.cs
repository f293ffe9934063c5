using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.CentralCredit.Forecasts;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Portal;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Portal;

/// <summary>The customer's home: each of their meters with its credit, relay, last contact and days of credit left.</summary>
[Authorize(Policy = PortalSetup.CustomerPolicy)]
public sealed class PortalIndexModel(PrepayDb db, IClock clock, MeterCreditForecasts forecasts) : PageModel
{
    public string CustomerName { get; private set; } = "";

    public IReadOnlyList<MeterFacts> Meters { get; private set; } = [];

    public Instant Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var customerId = PersonActor.CustomerIdOf(User)!.Value;
        Now = clock.GetCurrentInstant();
        CustomerName = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? "";
        var meters = new List<MeterFacts>();
        foreach (var meter in await CustomerMeters.ListAsync(db, customerId, Now, ct))
        {
            meters.Add(new MeterFacts(meter, await forecasts.ForecastAsync(meter.MeterNumber, ct)));
        }
        Meters = meters;
    }
}
