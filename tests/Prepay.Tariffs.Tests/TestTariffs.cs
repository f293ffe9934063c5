using NodaTime;
using Prepay.Domain.Money;
using Prepay.Tariffs.Documents;

namespace Prepay.Tariffs.Tests;

/// <summary>Small tariff documents written as JSON, so the tests read like the documents operators write.</summary>
internal static class TestTariffs
{
    public static readonly Instant MidJuly = Instant.FromUtc(2026, 7, 15, 10, 0);

    public static string Document(string energy, string extra = "", string zone = "Africa/Johannesburg", string currency = "ZAR") =>
        $$"""
        { "code": "TEST", "name": "Test tariff", "version": 1, "effectiveFrom": "2020-01-01",
          "timeZone": "{{zone}}", "currency": "{{currency}}", "energy": {{energy}} {{extra}} }
        """;

    public static TariffDocument Parse(string energy, string extra = "", string zone = "Africa/Johannesburg", string currency = "ZAR") =>
        TariffDocumentJson.Parse(Document(energy, extra, zone, currency));

    public static TariffDocument Flat(string rate, string extra = "") =>
        Parse($$"""{ "type": "flat", "rate": "{{rate}}" }""", extra);

    public static TariffDocument ThreeBlocks(string extra = "") =>
        Parse("""
            { "type": "incliningBlock", "blocks": [
              { "uptoKwh": 50, "rate": "1.00" }, { "uptoKwh": 350, "rate": "2.00" }, { "rate": "3.00" } ] }
            """, extra);

    /// <summary>Night from 00:00, day from 07:00, night again from 22:00, every day of the year.</summary>
    public static TariffDocument DayNight(string zone, string nightRate = "1.00", string dayRate = "3.00") =>
        Parse($$"""
            { "type": "timeOfUse", "seasons": [ { "name": "all", "from": "01-01", "to": "12-31",
              "rates": { "night": "{{nightRate}}", "day": "{{dayRate}}" },
              "weekday":  [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ],
              "saturday": [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ],
              "sunday":   [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ] } ] }
            """, zone: zone);

    public static Money Zar(string amount) => Money.Parse(amount, Currency.ZAR);
}
