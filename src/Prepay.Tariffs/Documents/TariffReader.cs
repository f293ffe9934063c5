using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Debt;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.FreeBasic;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.Taxes;
using Prepay.Domain.Documents;

namespace Prepay.Tariffs.Documents;

/// <summary>Reads and checks a tariff document; the first problem found is thrown with its field path.</summary>
internal static class TariffReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static TariffDocument Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new TariffFormatException("(document)", $"is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            return Read(JsonObjectReader.Of(document.RootElement, "", TariffFormatException.Of, TariffFormatException.NotAString));
        }
    }

    private static TariffDocument Read(JsonObjectReader root)
    {
        var code = root.NonBlank("code");
        if (code.Length > 40 || code.Any(char.IsWhiteSpace))
        {
            throw root.Error("code", "must be at most 40 characters without spaces");
        }
        var name = root.NonBlank("name");
        var version = root.Integer("version");
        if (version is < 1 or > int.MaxValue)
        {
            throw root.Error("version", "must be a whole number from 1");
        }
        var effective = Parse(root, "effectiveFrom", LocalDatePattern.Iso, "must be a date such as \"2026-07-01\"");
        var zoneId = root.NonBlank("timeZone");
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
                   ?? throw root.Error("timeZone", $"'{zoneId}' is not an IANA time zone (e.g. \"Africa/Johannesburg\")");
        var currencyCode = root.NonBlank("currency");
        if (!Currency.TryFromCode(currencyCode, out var currency))
        {
            throw root.Error("currency", $"'{currencyCode}' is not a supported ISO 4217 currency code");
        }
        var energy = EnergyChargeReader.Read(root.Object("energy"), currency);
        var fixedCharges = root.Objects("fixedCharges", required: false).Select(f => FixedCharge(f, currency)).ToList();
        var taxes = root.Objects("taxes", required: false).Select(Tax).ToList();
        Unique(taxes.Select(t => t.Name), root.PathOf("taxes"), "name");
        Unique(fixedCharges.Select(t => t.Name), root.PathOf("fixedCharges"), "name");
        var debt = root.OptionalObject("debtRecovery") is { } d ? Debt(d, currency) : null;
        var freeBasic = root.OptionalObject("freeBasic") is { } f ? FreeBasic(f) : null;
        root.RefuseUnknown();
        return new TariffDocument(code, name, (int)version, effective, zone, currency, energy, fixedCharges, taxes, debt, freeBasic);
    }

    private static FixedCharge FixedCharge(JsonObjectReader f, Currency currency)
    {
        var name = f.NonBlank("name");
        var per = f.String("per") switch
        {
            "day" => FixedChargePeriod.Day,
            "month" => FixedChargePeriod.Month,
            _ => throw f.Error("per", "must be \"day\" or \"month\""),
        };
        var amount = Amount(f, "amount", currency);
        f.RefuseUnknown();
        return new FixedCharge(name, amount, per);
    }

    private static TaxRule Tax(JsonObjectReader t)
    {
        var name = t.NonBlank("name");
        var rate = Percent(t, "percent");
        if (rate.PartsPerMillion == 0)
        {
            throw t.Error("percent", "must be greater than 0");
        }
        var inclusive = t.Boolean("inclusive");
        t.RefuseUnknown();
        return new TaxRule(name, rate, inclusive);
    }

    private static DebtRecoveryRule Debt(JsonObjectReader d, Currency currency)
    {
        var percent = Percent(d, "percent");
        if (percent.PartsPerMillion is 0 or > Percentage.PartsPerWhole)
        {
            throw d.Error("percent", "must be greater than 0 and at most 100");
        }
        Money? cap = d.Has("monthlyCap") ? Amount(d, "monthlyCap", currency) : null;
        if (cap is { IsZero: true })
        {
            throw d.Error("monthlyCap", "must be greater than 0 (leave it out for no cap)");
        }
        d.RefuseUnknown();
        return new DebtRecoveryRule(percent, cap);
    }

    private static FreeBasicRule FreeBasic(JsonObjectReader f)
    {
        var kwh = f.Integer("monthlyKwh");
        if (kwh is < 1 or > 100_000)
        {
            throw f.Error("monthlyKwh", "must be a whole number of kWh from 1 to 100000");
        }
        f.RefuseUnknown();
        return new FreeBasicRule(Energy.FromKilowattHours(kwh));
    }

    internal static Money Amount(JsonObjectReader f, string name, Currency currency)
    {
        var text = f.String(name);
        var parsed = Money.TryParse(text, currency);
        if (!parsed.Success)
        {
            throw f.Error(name, $"'{text}' {parsed.Error}");
        }
        return parsed.Value.IsNegative ? throw f.Error(name, "must not be negative") : parsed.Value;
    }

    internal static EnergyRate Rate(JsonObjectReader f, string name, Currency currency) =>
        Rate(f.String(name), f.PathOf(name), currency);

    internal static EnergyRate Rate(string text, string path, Currency currency) =>
        EnergyRate.TryParseMajor(text, currency, out var rate, out var error)
            ? rate
            : throw new TariffFormatException(path, $"'{text}' {error} (a rate is {currency.Code} per kWh, e.g. \"2.5123\")");

    private static Percentage Percent(JsonObjectReader f, string name)
    {
        var text = f.String(name);
        return Percentage.TryParse(text, out var value, out var error)
            ? value
            : throw f.Error(name, $"'{text}' {error} (a percentage such as \"15\")");
    }

    internal static T Parse<T>(JsonObjectReader f, string name, IPattern<T> pattern, string problem)
    {
        var result = pattern.Parse(f.String(name));
        return result.Success ? result.Value : throw f.Error(name, problem);
    }

    internal static void Unique(IEnumerable<string> names, string path, string field)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var name in names)
        {
            if (!seen.Add(name))
            {
                throw new TariffFormatException($"{path}[{i}].{field}", $"'{name}' is used twice");
            }
            i++;
        }
    }
}
