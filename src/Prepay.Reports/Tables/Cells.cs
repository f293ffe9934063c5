using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;

namespace Prepay.Reports.Tables;

/// <summary>Cells as every report writes them: dates and instants in ISO 8601, amounts in their currency's decimal form.</summary>
internal static class Cells
{
    public static string Date(LocalDate day) => LocalDatePattern.Iso.Format(day);

    public static string? Instant(Instant? at) => at is { } a ? InstantPattern.ExtendedIso.Format(a) : null;

    public static string Amount(long minor, string currency) => new Money(minor, Currency.FromCode(currency)).ToDecimalString();

    public static ReportColumn Text(string name, string title) => new(name, title, ColumnKind.Text);

    public static ReportColumn Integer(string name, string title) => new(name, title, ColumnKind.Integer);
}
