using System.Text;
using System.Text.Json;
using NodaTime.Text;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.TimeOfUse;

namespace Prepay.Tariffs.Documents;

/// <summary>Writes a tariff in the format <see cref="TariffReader"/> reads; amounts and rates as exact decimal strings.</summary>
internal static class TariffWriter
{
    public static string Write(TariffDocument t)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("code", t.Code);
            w.WriteString("name", t.Name);
            w.WriteNumber("version", t.Version);
            w.WriteString("effectiveFrom", LocalDatePattern.Iso.Format(t.EffectiveFrom));
            w.WriteString("timeZone", t.TimeZone.Id);
            w.WriteString("currency", t.Currency.Code);
            w.WritePropertyName("energy");
            Energy(w, t);
            w.WriteStartArray("fixedCharges");
            foreach (var f in t.FixedCharges)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("per", f.Per == FixedChargePeriod.Day ? "day" : "month");
                w.WriteString("amount", f.Amount.ToDecimalString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("taxes");
            foreach (var tax in t.Taxes)
            {
                w.WriteStartObject();
                w.WriteString("name", tax.Name);
                w.WriteString("percent", tax.Rate.ToPercentString());
                w.WriteBoolean("inclusive", tax.Inclusive);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (t.DebtRecovery is { } d)
            {
                w.WriteStartObject("debtRecovery");
                w.WriteString("percent", d.Percent.ToPercentString());
                if (d.MonthlyCap is { } cap)
                {
                    w.WriteString("monthlyCap", cap.ToDecimalString());
                }
                w.WriteEndObject();
            }
            if (t.FreeBasic is { } fbe)
            {
                w.WriteStartObject("freeBasic");
                w.WriteNumber("monthlyKwh", fbe.MonthlyAllowance.WattHours / 1000);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Energy(Utf8JsonWriter w, TariffDocument t)
    {
        w.WriteStartObject();
        switch (t.Energy)
        {
            case FlatRateCharge flat:
                w.WriteString("type", "flat");
                w.WriteString("rate", flat.Rate.ToMajorString(t.Currency));
                break;
            case IncliningBlockCharge blocks:
                w.WriteString("type", "incliningBlock");
                w.WriteStartArray("blocks");
                foreach (var b in blocks.Blocks)
                {
                    w.WriteStartObject();
                    if (b.UpTo is { } upTo)
                    {
                        w.WriteNumber("uptoKwh", upTo.WattHours / 1000);
                    }
                    w.WriteString("rate", b.Rate.ToMajorString(t.Currency));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case TimeOfUseCharge tou:
                w.WriteString("type", "timeOfUse");
                TimeOfUse(w, t, tou);
                break;
            default:
                throw new NotSupportedException($"Unknown energy charge {t.Energy.GetType().Name}.");
        }
        w.WriteEndObject();
    }

    private static void TimeOfUse(Utf8JsonWriter w, TariffDocument t, TimeOfUseCharge tou)
    {
        w.WriteStartArray("publicHolidays");
        foreach (var h in tou.PublicHolidays)
        {
            w.WriteStringValue(LocalDatePattern.Iso.Format(h));
        }
        w.WriteEndArray();
        w.WriteStartArray("seasons");
        foreach (var s in tou.Seasons)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("from", EnergyChargeReader.Day.Format(s.From));
            w.WriteString("to", EnergyChargeReader.Day.Format(s.To));
            w.WriteStartObject("rates");
            foreach (var (period, rate) in s.Rates)
            {
                w.WriteString(period, rate.ToMajorString(t.Currency));
            }
            w.WriteEndObject();
            foreach (var (type, field) in new[] { (DayType.Weekday, "weekday"), (DayType.Saturday, "saturday"), (DayType.Sunday, "sunday"), (DayType.PublicHoliday, "publicHoliday") })
            {
                w.WriteStartArray(field);
                foreach (var sw in s.Days[type])
                {
                    w.WriteStartObject();
                    w.WriteString("from", EnergyChargeReader.TimeOfDay.Format(sw.From));
                    w.WriteString("period", sw.Period);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
