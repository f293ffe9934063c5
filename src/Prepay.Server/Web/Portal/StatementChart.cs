using System.Globalization;
using System.Text.Json;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Statements.Days;

namespace Prepay.Server.Web.Portal;

/// <summary>
/// The portal statement's chart data (drawn by <c>portal-statement.js</c>): each day's deductions by line with the
/// closing balance, in the currency's units (central credit), or the energy used per period in kWh (credit in the meter).
/// </summary>
public static class StatementChart
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string For(MeterStatement meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var labels = meter.Days.Select(d => d.Day.ToString("d MMM", CultureInfo.InvariantCulture)).ToList();
        if (meter.Model == "central")
        {
            var currency = Currency.FromCode(meter.Currency);
            decimal Units(long? minor) => decimal.Parse(new Money(minor ?? 0, currency).ToDecimalString(), CultureInfo.InvariantCulture);
            return JsonSerializer.Serialize(new
            {
                unit = meter.Currency,
                labels,
                series = new[]
                {
                    new { label = "Energy", values = meter.Days.Select(d => Units(d.EnergyMinor)).ToList() },
                    new { label = "Fixed charges", values = meter.Days.Select(d => Units(d.FixedChargesMinor)).ToList() },
                    new { label = "Taxes", values = meter.Days.Select(d => Units(d.TaxesMinor)).ToList() },
                    new { label = "Debt recovered", values = meter.Days.Select(d => Units(d.DebtRecoveredMinor)).ToList() },
                },
                balance = meter.Days.Select(d => Units(d.ClosingBalanceMinor)).ToList(),
            }, Json);
        }
        var periods = meter.Days.SelectMany(d => d.Energy.Select(e => e.Period)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return JsonSerializer.Serialize(new
        {
            unit = "kWh",
            labels,
            series = periods.Select(p => new
            {
                label = p,
                values = meter.Days.Select(d => decimal.Parse(new Energy(d.Energy.Where(e => e.Period == p).Sum(e => e.Wh)).ToKilowattHoursString(), CultureInfo.InvariantCulture)).ToList(),
            }).ToList(),
            balance = (List<decimal>?)null,
        }, Json);
    }
}
