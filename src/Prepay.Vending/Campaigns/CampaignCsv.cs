using System.Globalization;
using CsvHelper;
using NodaTime.Text;

namespace Prepay.Vending.Campaigns;

/// <summary>
/// The meters a campaign's field agents still have to visit, as CSV (RFC 4180). Cells that a spreadsheet would read
/// as a formula are escaped (a meter number or site code is typed by people, and a CSV is opened in spreadsheets).
/// </summary>
public static class CampaignCsv
{
    public static string StillToVisit(IEnumerable<CampaignMeterView> meters)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // RFC 4180 (CRLF, quoted when needed) with formula-looking cells escaped, as OWASP recommends.
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape };
        using (var csv = CsvWriter.Create(text, options, false))
        {
            csv.WriteHeader(["meter", "site", "supply_group", "kind", "state", "issued_at", "deliveries", "last_delivery"]);
            foreach (var m in CampaignProgress.StillToVisit(meters))
            {
                csv.WriteRecord([
                    m.MeterNumber, m.Site ?? "", m.SupplyGroupCode.ToString(CultureInfo.InvariantCulture), m.IsSmart ? "smart" : "keypad",
                    m.State.ToString().ToLowerInvariant(), m.IssuedAt is { } at ? InstantPattern.ExtendedIso.Format(at) : "",
                    m.Deliveries.ToString(CultureInfo.InvariantCulture), m.CommandOutcome ?? "",
                ]);
            }
        }
        return text.ToString();
    }
}
