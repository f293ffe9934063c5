using System.Globalization;
using CsvHelper;
using NodaTime.Text;
using Prepay.Domain.Money;

namespace Prepay.Statements.Days;

/// <summary>
/// A statement as CSV (RFC 4180), one row per line of each meter's day, the same figures as the JSON: amounts in the
/// currency's decimal form, empty where the server does not know them (never 0 in their place). Cells a spreadsheet
/// would run as a formula are written inert (CsvHelper's injection escaping; OWASP, CSV injection).
/// </summary>
public static class StatementCsv
{
    public static readonly IReadOnlyList<string> Header = ["meter_number", "model", "currency", "day", "line", "period", "count", "wh", "amount"];

    public static string Write(CustomerStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, false))
        {
            csv.WriteHeader([.. Header]);
            foreach (var meter in statement.Meters)
            {
                var currency = Currency.FromCode(meter.Currency);
                foreach (var day in meter.Days)
                {
                    void Row(string line, long? amount, string period = "", int? count = null, long? wh = null) => csv.WriteRecord([
                        meter.MeterNumber, meter.Model, meter.Currency, LocalDatePattern.Iso.Format(day.Day), line, period,
                        count?.ToString(CultureInfo.InvariantCulture) ?? "", wh?.ToString(CultureInfo.InvariantCulture) ?? "",
                        amount is { } minor ? new Money(minor, currency).ToDecimalString() : "",
                    ]);
                    foreach (var e in day.Energy)
                    {
                        Row(StatementLines.Energy, e.Minor, e.Period, wh: e.Wh);
                    }
                    Row(StatementLines.FixedCharges, day.FixedChargesMinor);
                    Row(StatementLines.Taxes, day.TaxesMinor);
                    Row(StatementLines.DebtRecovered, day.DebtRecoveredMinor);
                    Row("deductions", day.DeductionsMinor, wh: day.EnergyWh);
                    Row(StatementLines.TopUps, day.TopUpsMinor, count: day.TopUpCount, wh: day.TopUpWh);
                    Row(StatementLines.Other, day.OtherMinor);
                    Row(StatementLines.EmergencyCredit, day.EmergencyCreditTakenMinor, "taken", count: day.EmergencyCreditActivations);
                    Row(StatementLines.EmergencyCredit, day.EmergencyCreditRepaidMinor, "repaid");
                    Row("opening-balance", day.OpeningBalanceMinor);
                    Row("closing-balance", day.ClosingBalanceMinor);
                }
            }
        }
        return text.ToString();
    }
}
