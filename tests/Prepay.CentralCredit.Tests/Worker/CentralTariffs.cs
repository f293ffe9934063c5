namespace Prepay.CentralCredit.Tests.Worker;

/// <summary>The time-of-use tariff of the central credit tests, in two versions.</summary>
internal static class CentralTariffs
{
    /// <summary>
    /// Night (00:00–07:00 and 22:00–24:00) and day (07:00–22:00) every day, a daily service charge of 4.25 and 15 % VAT
    /// added on top. Version 1: night 1.00, day 3.00 per kWh. Version 2 (from <paramref name="effectiveFrom"/>): 1.20 and 3.60.
    /// </summary>
    public static string DayNight(string code, int version, string effectiveFrom, string night, string day) => $$"""
        { "code": "{{code}}", "name": "Central day/night", "version": {{version}}, "effectiveFrom": "{{effectiveFrom}}",
          "timeZone": "Africa/Johannesburg", "currency": "ZAR",
          "energy": { "type": "timeOfUse", "seasons": [ { "name": "all", "from": "01-01", "to": "12-31",
            "rates": { "night": "{{night}}", "day": "{{day}}" },
            "weekday":  [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ],
            "saturday": [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ],
            "sunday":   [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" }, { "from": "22:00", "period": "night" } ] } ] },
          "fixedCharges": [ { "name": "Service", "per": "day", "amount": "4.25" } ],
          "taxes": [ { "name": "VAT", "percent": "15", "inclusive": false } ] }
        """;
}
