using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Storage;
using Prepay.Storage.Records.CentralCredit;

namespace Prepay.CentralCredit.Comparison;

/// <summary>One stored comparison as operators read it; <see cref="Unit"/> says what the views count (<c>minor</c> units of <see cref="Currency"/>, or <c>Wh</c>).</summary>
public sealed record BalanceComparisonView(
    string MeterNumber, LocalDate Day, string Model, string Unit, string? Currency, long? MeterView, long? ServerView, long Difference,
    bool Reported, string Explanation, Instant ComparedAt);

public abstract record ComparisonListOutcome
{
    private ComparisonListOutcome()
    {
    }

    public sealed record Listed(IReadOnlyList<BalanceComparisonView> Comparisons) : ComparisonListOutcome;

    /// <summary>The date was not a date (<c>yyyy-MM-dd</c>).</summary>
    public sealed record InvalidDate(string Text) : ComparisonListOutcome;
}

/// <summary>Reads stored comparisons for the API and the console; nothing here writes.</summary>
public sealed class BalanceComparisonQueries(IServiceScopeFactory scopes)
{
    /// <summary>The most a listing returns.</summary>
    public const int Limit = 1000;

    /// <summary>The comparisons of <paramref name="date"/> (<c>yyyy-MM-dd</c>), by meter number; only the differences when asked.</summary>
    public async Task<ComparisonListOutcome> ForDayAsync(string? date, bool differencesOnly, CancellationToken ct)
    {
        if (date is null || LocalDatePattern.Iso.Parse(date) is not { Success: true } parsed)
        {
            return new ComparisonListOutcome.InvalidDate(date ?? "");
        }
        var day = parsed.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var rows = await db.BalanceComparisons.AsNoTracking().Where(c => c.Day == day && (!differencesOnly || c.Reported))
            .OrderBy(c => c.MeterNumber).Take(Limit).ToListAsync(ct);
        return new ComparisonListOutcome.Listed([.. rows.Select(View)]);
    }

    /// <summary>A meter's last <paramref name="count"/> comparisons, newest first.</summary>
    public async Task<IReadOnlyList<BalanceComparisonView>> ForMeterAsync(string meterNumber, int count, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var rows = await db.BalanceComparisons.AsNoTracking().Where(c => c.MeterNumber == meterNumber)
            .OrderByDescending(c => c.Day).Take(count).ToListAsync(ct);
        return [.. rows.Select(View)];
    }

    private static BalanceComparisonView View(BalanceComparisonRecord r) =>
        new(r.MeterNumber, r.Day, r.Model, r.Unit, r.Currency, r.MeterView, r.ServerView, r.Difference, r.Reported, r.Explanation, r.ComparedAt);
}
