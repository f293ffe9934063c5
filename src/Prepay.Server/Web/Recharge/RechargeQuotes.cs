using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Server.Web.Pos;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Tariffs.Quotes;
using Prepay.Vending.Pricing;

namespace Prepay.Server.Web.Recharge;

/// <summary>What an amount would buy for a meter now, for the public recharge page.</summary>
public sealed record RechargeQuote(string MeterNumber, string MaskedName, string? Site, string? Unit, string Amount, string Currency, string EnergyKwh, string TariffName, bool IsEstimate);

/// <summary>
/// Quotes without selling. The meter's energy bought this month places the purchase in its tariff's blocks; the
/// customer's debt, fixed-charge arrears and carried remainder are left out, since they are not shown to someone
/// who has not signed in: the vend itself, after payment, applies them.
/// </summary>
public sealed class RechargeQuotes(TariffCatalog tariffs, IClock clock)
{
    /// <param name="meterEnding">With a site and room (no meter number): the meter number's last digits (<see cref="RechargeLookup"/>).</param>
    public async Task<(RechargeQuote? Quote, string? Problem)> QuoteAsync(PrepayDb db, string? meterNumber, string? site, string? unit, string? meterEnding, string? amount, CancellationToken ct)
    {
        var byRoom = string.IsNullOrWhiteSpace(meterNumber);
        var meter = await MeterLookup.FindAsync(db, meterNumber, site, unit, ct);
        if (meter is null || meter.CustomerName is null || (byRoom && !RechargeLookup.EndingMatches(meter.MeterNumber, meterEnding)))
        {
            return (null, RechargeLookup.NotFound);
        }
        var now = clock.GetCurrentInstant();
        var tariff = await tariffs.ForMeterAsync(db, meter.MeterId, now, ct);
        if (tariff is null)
        {
            return (null, "This meter cannot be recharged online at the moment: it has no tariff. Please contact your site office.");
        }
        var money = Money.TryParse(amount, tariff.Currency);
        if (!money.Success || !money.Value.IsPositive)
        {
            return (null, $"Enter an amount in {tariff.Currency.Code}, such as 100.00.");
        }
        var monthStart = tariff.StartOfMonth(now);
        var monthWh = await db.Vends.AsNoTracking()
            .Where(v => v.MeterId == meter.MeterId && v.At >= monthStart && v.Kind == VendKind.Credit)
            .Where(v => !db.VendReversals.Any(r => r.VendId == v.Id))
            .SumAsync(v => (long?)v.EnergyWh, ct) ?? 0;
        var context = PurchaseContext.Fresh(tariff.Currency, meter.ResolutionWh) with { EnergyBoughtThisMonth = new Energy(monthWh) };
        var quote = TariffEngine.Quote(tariff, money.Value, now, context);
        return (new RechargeQuote(meter.MeterNumber, NameMask.Mask(meter.CustomerName), meter.Site, meter.Unit, money.Value.ToDecimalString(),
            tariff.Currency.Code, quote.Energy.ToKilowattHoursString(), tariff.Name, quote.IsEstimate), null);
    }
}
