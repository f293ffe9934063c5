using System.Globalization;
using CsvHelper;
using NodaTime;

namespace Prepay.Server.Web.Operations;

/// <summary>
/// The sales export (RFC 4180). Cells a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are
/// written inert, prefixed with an apostrophe: channels, vendor codes and meter numbers come from outside, and the
/// file is opened in spreadsheets (OWASP, CSV injection).
/// </summary>
public static class SalesCsv
{
    public sealed record Row(Guid Id, Instant At, string Vendor, string Meter, string Kind, string Channel, string Currency, string Amount, long EnergyWh, bool Reversed);

    public static string Write(IEnumerable<Row> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, false))
        {
            csv.WriteHeader(["vend_id", "at", "vendor", "meter", "kind", "channel", "currency", "amount", "energy_wh", "reversed"]);
            foreach (var r in rows)
            {
                csv.WriteRecord([
                    r.Id.ToString(), ConsoleFormat.Iso(r.At), r.Vendor, r.Meter, r.Kind, r.Channel, r.Currency, r.Amount,
                    r.EnergyWh.ToString(CultureInfo.InvariantCulture), r.Reversed ? "yes" : "no",
                ]);
            }
        }
        return text.ToString();
    }
}
