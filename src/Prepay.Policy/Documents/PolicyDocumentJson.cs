using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Policy.Holidays;
using Prepay.Domain.Documents;

namespace Prepay.Policy.Documents;

/// <summary>
/// Reads and checks a disconnection policy document (System.Text.Json); the first problem found is thrown as a
/// <see cref="PolicyFormatException"/> naming its JSON path, e.g. <c>$.friendlyHours.saturday[1].end: must be after
/// start</c>. Unknown fields are refused. The format is described in this module's README.
/// </summary>
public static class PolicyDocumentJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static PolicyDocument Parse(string json) => Parse(json, HolidayCalendars.Shipped);

    public static PolicyDocument Parse(string json, HolidayCalendars calendars)
    {
        ArgumentNullException.ThrowIfNull(calendars);
        using var document = ParseJson(json);
        return Read(JsonObjectReader.Of(document.RootElement, "$", PolicyFormatException.Of), calendars);
    }

    internal static JsonDocument ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } p ? p : "$";
            throw new PolicyFormatException(where, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
    }

    private static PolicyDocument Read(JsonObjectReader root, HolidayCalendars calendars)
    {
        var code = root.NonBlank("code");
        if (code.Length > 40 || code.Any(char.IsWhiteSpace))
        {
            throw root.Error("code", "must be at most 40 characters without spaces");
        }
        var name = root.NonBlank("name");
        if (name.Length > 200)
        {
            throw root.Error("name", "must be at most 200 characters");
        }
        var version = root.Integer("version");
        if (version is < 1 or > int.MaxValue)
        {
            throw root.Error("version", "must be a whole number from 1");
        }
        var effective = Parse(root, "effectiveFrom", LocalDatePattern.Iso, "must be a date such as \"2027-01-01\"");
        var zoneId = root.NonBlank("timeZone");
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
                   ?? throw root.Error("timeZone", $"'{zoneId}' is not an IANA time zone (e.g. \"Europe/London\")");
        var currencyCode = root.NonBlank("currency");
        if (!Currency.TryFromCode(currencyCode, out var currency))
        {
            throw root.Error("currency", $"'{currencyCode}' is not a supported ISO 4217 currency code");
        }
        var source = root.NonBlankStrings("source", required: true);
        if (source.Count == 0)
        {
            throw root.Error("source", "must cite at least one source for the policy's rules");
        }
        var friendly = root.OptionalObject("friendlyHours") is { } f ? FriendlyHoursReader.Read(f) : FriendlyHours.None;
        var holidays = root.OptionalObject("publicHolidays") is { } h ? Holidays(h, calendars) : null;
        var emergency = root.OptionalObject("emergencyCredit") is { } e ? Emergency(e, currency) : null;
        var protections = root.OptionalObject("protectedCustomers") is { } p ? ProtectionsReader.Read(p) : ProtectionRules.None;
        Period? grace = null;
        if (root.OptionalString("graceAfterSwitch") is { } graceText)
        {
            grace = GracePeriod(root, graceText);
        }
        var alerts = root.OptionalObject("alerts") is { } a ? Alerts(a) : AlertThresholds.None;
        var debt = root.OptionalObject("debtRecovery") is { } d ? Debt(d) : null;
        var notes = root.NonBlankStrings("notes", required: false);
        root.RefuseUnknown();
        return new PolicyDocument(code, name, (int)version, effective, zone, currency, source, friendly, holidays, emergency,
            protections, grace, alerts, debt, notes);
    }

    private static PublicHolidayRule Holidays(JsonObjectReader h, HolidayCalendars calendars)
    {
        var region = h.NonBlank("region");
        if (calendars.Find(region) is null)
        {
            throw h.Error("region", $"'{region}' has no holiday calendar (known: {string.Join(", ", calendars.Regions)})");
        }
        h.RefuseUnknown();
        return new PublicHolidayRule(region);
    }

    private static EmergencyCreditRule Emergency(JsonObjectReader e, Currency currency)
    {
        Money? amount = e.Has("amount") ? Amount(e, "amount", currency) : null;
        if (amount is { IsPositive: false })
        {
            throw e.Error("amount", "must be greater than 0 (leave emergencyCredit out when none is offered)");
        }
        Money? below = e.Has("availableBelow") ? Amount(e, "availableBelow", currency) : null;
        var share = e.OptionalInteger("repaymentPercent");
        if (share is < 1 or > 100)
        {
            throw e.Error("repaymentPercent", "must be a whole percentage from 1 to 100");
        }
        e.RefuseUnknown();
        return new EmergencyCreditRule(amount, below, (int?)share);
    }

    private static Period GracePeriod(JsonObjectReader root, string text)
    {
        var parsed = PeriodPattern.NormalizingIso.Parse(text);
        if (!parsed.Success)
        {
            throw root.Error("graceAfterSwitch", "must be an ISO 8601 period such as \"P30D\"");
        }
        var period = parsed.Value;
        var anchor = new LocalDateTime(2000, 1, 1, 0, 0);
        LocalDateTime end;
        try
        {
            end = anchor.Plus(period);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw root.Error("graceAfterSwitch", "must be at most two years");
        }
        if (end <= anchor || end > anchor.PlusYears(2))
        {
            throw root.Error("graceAfterSwitch", "must be longer than nothing and at most two years");
        }
        return period;
    }

    private static AlertThresholds Alerts(JsonObjectReader a)
    {
        var values = new List<int>();
        foreach (var (element, path) in a.Items("percentOfLastTopUp", required: true))
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var percent) || percent is < 0 or > 100)
            {
                throw new PolicyFormatException(path, "must be a whole percentage from 0 to 100");
            }
            if (values.Count > 0 && percent >= values[^1])
            {
                throw new PolicyFormatException(path, $"must be below the threshold before it ({values[^1]}): list them highest first");
            }
            values.Add(percent);
        }
        a.RefuseUnknown();
        return new AlertThresholds(values);
    }

    private static DebtRecoveryCap Debt(JsonObjectReader d)
    {
        var percent = d.Integer("maxPercentOfTopUp");
        if (percent is < 0 or > 100)
        {
            throw d.Error("maxPercentOfTopUp", "must be a whole percentage from 0 to 100");
        }
        d.RefuseUnknown();
        return new DebtRecoveryCap((int)percent);
    }

    private static Money Amount(JsonObjectReader f, string name, Currency currency)
    {
        var text = f.String(name);
        var parsed = Money.TryParse(text, currency);
        if (!parsed.Success)
        {
            throw f.Error(name, $"'{text}' {parsed.Error} (an amount in {currency.Code}, written as a string such as \"5.00\")");
        }
        return parsed.Value.IsNegative ? throw f.Error(name, "must not be negative") : parsed.Value;
    }

    internal static T Parse<T>(JsonObjectReader f, string name, IPattern<T> pattern, string problem)
    {
        var result = pattern.Parse(f.String(name));
        return result.Success ? result.Value : throw f.Error(name, problem);
    }
}
