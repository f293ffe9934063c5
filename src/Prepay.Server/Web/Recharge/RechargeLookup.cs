namespace Prepay.Server.Web.Recharge;

/// <summary>
/// How an anonymous payer names a meter on <c>/recharge</c>: its full number, or its site and room together with the
/// meter number's last <see cref="EndingDigits"/> digits. Site codes and room labels are printed on doors and
/// easy to enumerate; without the digits from the meter (or the lease), a script could walk a site room by room and
/// map who lives where. Every miss gets one answer, so a wrong ending cannot be told from an empty room.
/// </summary>
public static class RechargeLookup
{
    public const int EndingDigits = 4;

    /// <summary>The answer to every lookup that finds nothing, whatever was wrong.</summary>
    public const string NotFound = "No meter found for that number, or for that site, room and meter ending. Check the numbers on your meter or lease.";

    /// <summary>True when <paramref name="ending"/> is exactly the last <see cref="EndingDigits"/> digits of <paramref name="meterNumber"/>.</summary>
    public static bool EndingMatches(string meterNumber, string? ending)
    {
        ArgumentNullException.ThrowIfNull(meterNumber);
        var typed = ending?.Replace(" ", "", StringComparison.Ordinal);
        return typed is { Length: EndingDigits } && typed.All(char.IsAsciiDigit)
            && meterNumber.Length >= EndingDigits && meterNumber.EndsWith(typed, StringComparison.Ordinal);
    }
}
