using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Storage.Records.Metering;

namespace Prepay.CentralCredit.Comparison;

/// <summary>
/// A meter that holds its own credit: the credit register it reports against what the server expects. The meter's view
/// is the register of its last real (<c>valid</c>) reading up to the day's end: a reading carries the register at the
/// interval's end, so energy and credit are taken at the same instant, with no part-interval to guess. The server
/// expects the register of the previous comparison, plus the credit delivered since (<c>addCredit</c> commands the
/// meter acknowledged, and tokens its decoder accepted, by keypad or remotely, as its <c>tokenAccepted</c> events say),
/// less the energy consumed since (the deltas of the readings between: valid, and the estimates and edits that stand in
/// for missing or wrong ones, so the sum is the register's step; suspect ones are left out). The first comparison of a
/// meter is its baseline. Emergency credit taken in the period is not counted (the meter adds it to its register and
/// repays it from later credit), so a meter using it shows it as a difference; the explanation says so when it happened.
/// </summary>
public static class RegisterComparison
{
    public static async Task<ComparedViews?> CompareAsync(PrepayDb db, Guid meterId, LocalDate day, Instant dayEnd, long toleranceWh, CancellationToken ct)
    {
        var last = await db.Readings.AsNoTracking().Where(r => r.MeterId == meterId && r.At <= dayEnd && r.Quality == "valid")
            .OrderByDescending(r => r.At).Select(r => new { r.At, r.CreditWh }).FirstOrDefaultAsync(ct);
        if (last is null)
        {
            return null; // nothing reported yet: nothing to compare
        }
        var baseline = await db.BalanceComparisons.AsNoTracking()
            .Where(c => c.MeterId == meterId && c.Day < day && c.Model == BalanceComparisonRecord.MeterModel && c.MeterView != null && c.MeterViewAt != null)
            .OrderByDescending(c => c.Day).Select(c => new { c.MeterView, c.MeterViewAt }).FirstOrDefaultAsync(ct);
        if (baseline is null)
        {
            return new ComparedViews(last.CreditWh, last.At, last.CreditWh, 0, false, "first comparison: the meter's register is the baseline");
        }
        var from = baseline.MeterViewAt!.Value;
        var consumed = await db.Readings.AsNoTracking()
            .Where(r => r.MeterId == meterId && r.At > from && r.At <= last.At && r.Quality != "suspect").SumAsync(r => r.DeltaWh, ct);
        var credited = await CreditedAsync(db, meterId, from, last.At, ct);
        var emergency = await db.MeterEvents.AsNoTracking()
            .AnyAsync(e => e.MeterId == meterId && e.At > from && e.At <= last.At && e.Type == "emergencyCreditActivated", ct);
        var expected = checked(baseline.MeterView!.Value + credited - consumed);
        var difference = checked(last.CreditWh - expected);
        var beyond = Math.Abs(difference) > toleranceWh;
        var sums = $"{baseline.MeterView} Wh at the last comparison + {credited} Wh credited − {consumed} Wh consumed = {expected} Wh expected";
        var explanation = !beyond
            ? $"the register ({last.CreditWh} Wh) is as expected: {sums}"
            : $"the register reads {last.CreditWh} Wh; {sums}: {difference:+#;-#;0} Wh{(emergency ? " (the meter took emergency credit in the period, which is not counted)" : "")}";
        return new ComparedViews(last.CreditWh, last.At, expected, difference, beyond, explanation);
    }

    /// <summary>Credit the meter took in (<paramref name="from"/>, <paramref name="to"/>]: acknowledged <c>addCredit</c> and accepted tokens.</summary>
    private static async Task<long> CreditedAsync(PrepayDb db, Guid meterId, Instant from, Instant to, CancellationToken ct)
    {
        var added = await db.MeterCommands.AsNoTracking()
            .Where(c => c.MeterId == meterId && c.Type == CommandTypes.AddCredit && c.State == CommandState.Acknowledged
                && c.AcknowledgedAt > from && c.AcknowledgedAt <= to)
            .Select(c => c.Arguments).ToListAsync(ct);
        var tokens = await db.MeterEvents.AsNoTracking()
            .Where(e => e.MeterId == meterId && e.Type == "tokenAccepted" && e.At > from && e.At <= to)
            .Select(e => e.Details).ToListAsync(ct);
        return added.Sum(a => Member(a, "energyWh")) + tokens.Sum(t => Member(t, "tokenWh"));
    }

    private static long Member(string? json, string name)
    {
        if (json is null)
        {
            return 0;
        }
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
    }
}
