using NodaTime;
using NodaTime.Text;

namespace Prepay.CentralCredit.Comparison;

/// <summary>A balance the server told a meter (<c>showBalance</c>): its place in the meter's sequence, whether the meter acknowledged it, the value.</summary>
public sealed record ToldBalance(long Seq, bool Acknowledged, long Minor, string Currency, Instant AsOf);

/// <summary>What a meter reports displaying: minor units, currency, the as-of instant it was told.</summary>
public sealed record ReportedBalance(long Minor, string Currency, Instant AsOf);

/// <summary>One comparison's figures: the two views (null when a side has none), meter − server, whether it is a difference, and why.</summary>
public sealed record ComparedViews(long? MeterView, Instant? MeterViewAt, long? ServerView, long Difference, bool IsDifference, string Explanation);

/// <summary>
/// A central-credit meter: the balance it reports displaying against the one the server told it. The server's view is
/// the last balance the meter acknowledged, unless the meter displays a later one the server did send (acknowledged or
/// not: its acknowledgement may be on its way, or the command was withdrawn for a newer one after the meter took it),
/// so a difference means the meter did not apply, or does not report, what it was told. Pure: the caller reads both.
/// </summary>
public static class CentralComparison
{
    public static ComparedViews Compare(ReportedBalance? shown, IReadOnlyList<ToldBalance> told)
    {
        var acknowledged = told.Where(t => t.Acknowledged).MaxBy(t => t.Seq);
        var sentLater = shown is null || (acknowledged is not null && shown.AsOf < acknowledged.AsOf) ? null
            : told.Where(t => t.AsOf == shown.AsOf && t.Currency == shown.Currency).MaxBy(t => t.Seq);
        var server = sentLater ?? acknowledged;
        if (server is null)
        {
            return shown is null
                ? new ComparedViews(null, null, null, 0, false, "no balance told or displayed yet")
                : new ComparedViews(shown.Minor, shown.AsOf, null, 0, true,
                    $"the meter displays {Text(shown.Minor, shown.Currency, shown.AsOf)}, which the server never sent it");
        }
        if (shown is null)
        {
            return new ComparedViews(null, null, server.Minor, 0, true,
                $"the meter acknowledged {Text(server.Minor, server.Currency, server.AsOf)} but reports displaying no balance");
        }
        var difference = checked(shown.Minor - server.Minor);
        if (difference == 0 && shown.Currency == server.Currency)
        {
            return new ComparedViews(shown.Minor, shown.AsOf, server.Minor, 0, false, $"the meter displays {Text(server.Minor, server.Currency, server.AsOf)} as told");
        }
        var stale = shown.AsOf < server.AsOf ? $", from {Instants.Format(shown.AsOf)}: it did not apply or report the newer one" : "";
        return new ComparedViews(shown.Minor, shown.AsOf, server.Minor, difference, true,
            $"the meter displays {Text(shown.Minor, shown.Currency, shown.AsOf)}; the server told it {Text(server.Minor, server.Currency, server.AsOf)}{stale}");
    }

    private static readonly InstantPattern Instants = InstantPattern.General;

    private static string Text(long minor, string currency, Instant asOf) => $"{minor} minor units of {currency} (as of {Instants.Format(asOf)})";
}
