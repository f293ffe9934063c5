using NodaTime;
using Prepay.Server.Web.Operations;

namespace Prepay.Server.Tests.Web;

/// <summary>The sales export: RFC 4180, and formulas that came in from outside exported inert.</summary>
public sealed class SalesCsvTests
{
    [Fact]
    public void A_formula_in_a_cell_is_exported_as_text_and_commas_and_quotes_are_quoted()
    {
        var id = Guid.Parse("0193a000-0000-7000-8000-000000000001");
        var csv = SalesCsv.Write([
            new SalesCsv.Row(id, Instant.FromUtc(2026, 11, 23, 8, 0), "SHOP,1", "04000000001", "credit", "=HYPERLINK(\"http://x\",\"pay\")", "ZAR", "100.00", 43_400, false),
            new SalesCsv.Row(id, Instant.FromUtc(2026, 11, 23, 9, 0), "SHOP2", "@SUM(1)", "credit", "+1", "ZAR", "5.00", 2_100, true),
        ]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("vend_id,at,vendor,meter,kind,channel,currency,amount,energy_wh,reversed", lines[0]);
        Assert.Equal($"{id},2026-11-23T08:00:00Z,\"SHOP,1\",04000000001,credit,\"'=HYPERLINK(\"\"http://x\"\",\"\"pay\"\")\",ZAR,100.00,43400,no", lines[1]);
        // Escaped and quoted, as OWASP advises for CSV injection.
        Assert.Equal($"{id},2026-11-23T09:00:00Z,SHOP2,\"'@SUM(1)\",credit,\"'+1\",ZAR,5.00,2100,yes", lines[2]);
        Assert.Equal(3, lines.Length);
    }
}
