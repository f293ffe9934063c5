using System.Globalization;
using System.Text;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Statements.Days;

namespace Prepay.Statements.Digests;

/// <summary>A digest's words: per meter the energy used, what was taken and topped up, and the balance at the end, short enough for an SMS.</summary>
internal static class DigestText
{
    public static (string Subject, string Text) For(CustomerStatement statement, DigestPeriod period)
    {
        var when = period.From == period.To ? Day(period.From) : $"{Day(period.From)} to {Day(period.To)}";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Your electricity, {when}.");
        foreach (var meter in statement.Meters)
        {
            var currency = Currency.FromCode(meter.Currency);
            string Show(long minor) => $"{meter.Currency} {new Money(minor, currency).ToDecimalString()}";
            var used = new Energy(meter.Days.Sum(d => d.EnergyWh)).ToKilowattHoursString();
            text.Append(CultureInfo.InvariantCulture, $" Meter {meter.MeterNumber}: used {used} kWh");
            if (meter.Days.All(d => d.DeductionsMinor is not null))
            {
                text.Append(CultureInfo.InvariantCulture, $", taken {Show(meter.Days.Sum(d => d.DeductionsMinor!.Value))}");
            }
            var topUps = meter.Days.Sum(d => d.TopUpsMinor);
            if (topUps != 0)
            {
                text.Append(CultureInfo.InvariantCulture, $", topped up {Show(topUps)}");
            }
            if (meter.Days.Count > 0 && meter.Days[^1].ClosingBalanceMinor is { } closing)
            {
                text.Append(CultureInfo.InvariantCulture, $", balance {Show(closing)}");
            }
            text.Append('.');
        }
        text.Append(" Your statement is on the portal.");
        return ($"Your electricity statement, {when}", text.ToString());
    }

    private static string Day(NodaTime.LocalDate day) => day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
