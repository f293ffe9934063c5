using Prepay.Tariffs.Documents;

namespace Prepay.CentralCredit.Tests.Pricing;

/// <summary>Small tariff documents written as JSON, as operators write them.</summary>
internal static class Tariffs
{
    public static TariffDocument Parse(string energy, string extra = "", int version = 1, string effectiveFrom = "2020-01-01") =>
        TariffDocumentJson.Parse($$"""
            { "code": "CC-TEST", "name": "Central credit test", "version": {{version}}, "effectiveFrom": "{{effectiveFrom}}",
              "timeZone": "Africa/Johannesburg", "currency": "ZAR", "energy": {{energy}} {{extra}} }
            """);

    /// <summary>Night 1.00/kWh from 00:00, day 3.00/kWh from 07:00, night again from 22:00, every day.</summary>
    public const string DayNight = """
        { "type": "timeOfUse", "seasons": [ { "name": "all", "from": "01-01", "to": "12-31",
          "rates": { "night": "1.00", "day": "3.00" },
          "weekday":  [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ],
          "saturday": [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ],
          "sunday":   [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ] } ] }
        """;

    public const string TwoBlocks = """
        { "type": "incliningBlock", "blocks": [ { "uptoKwh": 50, "rate": "1.00" }, { "rate": "2.00" } ] }
        """;
}
