using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Prepay.Server.Web.Operations;

/// <summary>How the console writes instants and energy: UTC, to the minute or second, the same on the page and in its live updates.</summary>
public static class ConsoleFormat
{
    private static readonly InstantPattern Minute = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");
    private static readonly InstantPattern Second = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss");

    public static string At(Instant at) => Minute.Format(at) + " UTC";

    public static string At(Instant? at) => at is { } a ? At(a) : "—";

    public static string AtSecond(Instant at) => Second.Format(at) + " UTC";

    public static string Kwh(long wh) => new Domain.Energy.Energy(wh).ToKilowattHoursString() + " kWh";

    /// <summary>Instants for scripts and CSV: ISO 8601 in UTC.</summary>
    public static string Iso(Instant at) => InstantPattern.ExtendedIso.Format(at);

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
