using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Prepay.Server.Web.Operations;

/// <summary>
/// How the console writes instants and energy: local time in the operator's zone (<see cref="OperatorZone"/>) with its
/// offset, to the minute or second, the same on the page and in its live updates; UTC is written as such.
/// </summary>
public static class ConsoleFormat
{
    private static readonly LocalDateTimePattern Minute = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");
    private static readonly LocalDateTimePattern Second = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss");
    private static readonly OffsetPattern Offset = OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    public static string At(Instant at, DateTimeZone zone) => Write(Minute, at, zone);

    public static string At(Instant? at, DateTimeZone zone) => at is { } a ? At(a, zone) : "—";

    public static string AtSecond(Instant at, DateTimeZone zone) => Write(Second, at, zone);

    private static string Write(LocalDateTimePattern pattern, Instant at, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = at.InZone(zone);
        return pattern.Format(local.LocalDateTime) + (zone == DateTimeZone.Utc ? " UTC" : " " + Offset.Format(local.Offset));
    }

    public static string Kwh(long wh) => new Domain.Energy.Energy(wh).ToKilowattHoursString() + " kWh";

    /// <summary>Instants for scripts and CSV: ISO 8601 in UTC.</summary>
    public static string Iso(Instant at) => InstantPattern.ExtendedIso.Format(at);

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
