using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Tariffs.Quotes;
using Prepay.Vending.Pricing;
using Prepay.Vending.Vends;

namespace Prepay.Server.Web.Portal;

/// <summary>A quote line as the portal shows it.</summary>
public sealed record QuoteLine(string Label, string Value);

public sealed record PortalQuote(string Amount, string Currency, string EnergyKwh, bool IsEstimate, IReadOnlyList<QuoteLine> Lines);

/// <summary>
/// What an amount would buy on the customer's own meter now, priced by <see cref="TariffEngine.Quote"/> with the
/// same account state a vend reads (energy bought this month, debt and its monthly recovery, fixed-charge arrears,
/// the carried remainder): the signed-in customer may see all of it. It writes nothing.
/// </summary>
public sealed class PortalQuotes(TariffCatalog tariffs, IClock clock, Vending.Debts.ITopUpDebtCap? debtCaps = null)
{
    public async Task<(PortalQuote? Quote, string? Problem)> QuoteAsync(PrepayDb db, CustomerMeter meter, Guid customerId, string? amount, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var tariff = await tariffs.ForMeterAsync(db, meter.MeterId, now, ct);
        if (tariff is null)
        {
            return (null, "This meter has no tariff at the moment, so it cannot be priced. Please contact your site office.");
        }
        var money = Money.TryParse(amount?.Trim(), tariff.Currency);
        if (!money.Success || !money.Value.IsPositive)
        {
            return (null, $"Enter an amount in {tariff.Currency.Code}, such as 100.00.");
        }
        var cur = tariff.Currency;
        var state = await PricingState.ReadAsync(db, meter.MeterId, tariff.StartOfMonth(now),
            AccountCode.CustomerCredit(customerId, cur.Code), AccountCode.CustomerDebt(customerId, cur.Code), ct);
        var stored = await db.Meters.AsNoTracking().FirstAsync(m => m.Id == meter.MeterId, ct);
        var context = await Vending.Debts.TopUpDebtCaps.ApplyAsync(debtCaps, db, tariff, state.ContextFor(stored, cur), meter.MeterId, now, ct);
        var quote = TariffEngine.Quote(tariff, money.Value, now, context);

        string M(Money m) => $"{cur.Code} {m.ToDecimalString()}";
        var lines = new List<QuoteLine> { new("You pay", M(quote.Gross)) };
        if (quote.CarriedIn.IsPositive)
        {
            lines.Add(new("Left from earlier purchases", M(quote.CarriedIn)));
        }
        if (quote.DebtRecovered.IsPositive)
        {
            lines.Add(new("Paid towards what you owe", M(quote.DebtRecovered)));
        }
        if (quote.FixedCharges.IsPositive)
        {
            lines.Add(new("Fixed charges (before tax)", M(quote.FixedCharges)));
        }
        lines.AddRange(quote.Tax.Select(t => new QuoteLine($"{t.Name} {t.Rate.ToPercentString()} %", M(t.Amount))));
        lines.AddRange(quote.Lines.Select(l => new QuoteLine($"{l.Label}: {l.Energy.ToKilowattHoursString()} kWh at {cur.Code} {l.Rate.ToMajorString(cur)}", M(l.Cost))));
        lines.Add(new("Kept on your account for next time", M(quote.CarriedOut)));
        return (new PortalQuote(quote.Gross.ToDecimalString(), cur.Code, quote.Energy.ToKilowattHoursString(), quote.IsEstimate, lines), null);
    }
}
