using System.Text;
using System.Text.Json;
using NodaTime.Text;
using Prepay.Domain.Money;

namespace Prepay.Tariffs.Quotes;

/// <summary>A quote for people (an aligned table) and for programs (JSON with amounts as exact decimal strings).</summary>
public static class QuoteReport
{
    public static string Table(PurchaseQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var rows = new List<(string Label, string Value)>
        {
            ($"Tariff", $"{quote.TariffCode} v{quote.TariffVersion}"),
            ("At", InstantPattern.General.Format(quote.At)),
            ("Amount paid", Amount(quote.Gross)),
            ("Carried in", Amount(quote.CarriedIn)),
            ("Debt recovered", Amount(quote.DebtRecovered)),
            ("Fixed charges (net of tax)", Amount(quote.FixedCharges)),
        };
        rows.AddRange(quote.Tax.Select(t => ($"{t.Name} {t.Rate.ToPercentString()} % ({(t.Inclusive ? "inclusive" : "exclusive")})", Amount(t.Amount))));
        rows.Add(("Net for energy", Amount(quote.NetForEnergy)));
        rows.AddRange(quote.Lines.Select(l => (
            $"  {l.Label}: {l.Energy.ToKilowattHoursString()} kWh @ {l.Rate.ToMajorString(quote.Gross.Currency)}",
            Amount(l.Cost))));
        rows.Add(("Energy cost (net of tax)", Amount(quote.EnergyCost)));
        rows.Add(("Carried out", Amount(quote.CarriedOut)));
        rows.Add((quote.IsEstimate ? "Energy (estimate at current rate)" : "Energy", $"{quote.Energy.ToKilowattHoursString()} kWh"));
        rows.Add(("Fixed charges paid through", quote.FixedChargesPaidThrough is { } d ? LocalDatePattern.Iso.Format(d) : "-"));
        rows.Add(("Fixed charge arrears after", Amount(quote.FixedChargeArrearsAfter)));
        rows.Add(("Debt outstanding after", Amount(quote.DebtOutstandingAfter)));

        var width = rows.Max(r => r.Label.Length);
        var valueWidth = rows.Max(r => r.Value.Length);
        var text = new StringBuilder();
        foreach (var (label, value) in rows)
        {
            text.Append(label.PadRight(width)).Append("  ").Append(value.PadLeft(valueWidth)).Append('\n');
        }
        return text.ToString();
    }

    public static string Json(PurchaseQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var currency = quote.Gross.Currency;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("tariff", quote.TariffCode);
            w.WriteNumber("tariffVersion", quote.TariffVersion);
            w.WriteString("at", InstantPattern.General.Format(quote.At));
            w.WriteString("currency", currency.Code);
            w.WriteString("gross", quote.Gross.ToDecimalString());
            w.WriteString("carriedIn", quote.CarriedIn.ToDecimalString());
            w.WriteString("debtRecovered", quote.DebtRecovered.ToDecimalString());
            w.WriteString("fixedCharges", quote.FixedCharges.ToDecimalString());
            w.WriteStartArray("tax");
            foreach (var t in quote.Tax)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteString("percent", t.Rate.ToPercentString());
                w.WriteBoolean("inclusive", t.Inclusive);
                w.WriteString("amount", t.Amount.ToDecimalString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("netForEnergy", quote.NetForEnergy.ToDecimalString());
            w.WriteString("energyCost", quote.EnergyCost.ToDecimalString());
            w.WriteNumber("energyWh", quote.Energy.WattHours);
            w.WriteBoolean("isEstimate", quote.IsEstimate);
            w.WriteStartArray("lines");
            foreach (var l in quote.Lines)
            {
                w.WriteStartObject();
                w.WriteString("label", l.Label);
                w.WriteNumber("energyWh", l.Energy.WattHours);
                w.WriteString("rate", l.Rate.ToMajorString(currency));
                w.WriteString("cost", l.Cost.ToDecimalString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("carriedOut", quote.CarriedOut.ToDecimalString());
            if (quote.FixedChargesPaidThrough is { } d)
            {
                w.WriteString("fixedChargesPaidThrough", LocalDatePattern.Iso.Format(d));
            }
            else
            {
                w.WriteNull("fixedChargesPaidThrough");
            }
            w.WriteString("fixedChargeArrearsAfter", quote.FixedChargeArrearsAfter.ToDecimalString());
            w.WriteString("debtOutstandingAfter", quote.DebtOutstandingAfter.ToDecimalString());
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Amount(Money m) => m.Currency.Code + " " + m.ToDecimalString();
}
