using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Storage.Records.Metering;
using Prepay.Vending.Pricing;

namespace Prepay.CentralCredit.Comparison;

/// <summary>What one run compared: rows written (a meter and day compared before is not counted again) and differences reported.</summary>
public sealed record ComparisonRun(int Written, int Differences);

/// <summary>
/// The meter's and the server's view of each MQTT meter's balance compared once per local day (issue 14, item 1): a
/// central-credit meter's displayed balance (<see cref="CentralComparison"/>), a meter holding its own credit's register
/// (<see cref="RegisterComparison"/>). A day is a whole local day in the zone of the meter's tariff (UTC for a meter
/// without one), compared once it has ended, with the model in force at its end. Each comparison is a
/// <c>balance_comparisons</c> row under (meter, day), inserted only if absent, so running a day twice writes once; a
/// difference raises an operator alert (<c>operator_alerts</c>, type <see cref="AlertType"/>) in the same transaction,
/// under its own (meter, type, instant) key. DLMS meters are not compared: they take no <c>showBalance</c>, and their
/// credit register is read by the head-end's polls, not reported with readings.
/// </summary>
public sealed class BalanceComparisons(IServiceScopeFactory scopes, IClock clock, TariffCatalog tariffs, CentralCreditOptions options)
{
    /// <summary>The operator alert's type for a difference.</summary>
    public const string AlertType = "balanceDifference";

    private const int PageSize = 500;

    /// <summary>
    /// Compares <paramref name="day"/> for every meter whose local day it is and has ended, or, with none given, each
    /// meter's yesterday in its own zone.
    /// </summary>
    public async Task<ComparisonRun> RunAsync(LocalDate? day, CancellationToken ct)
    {
        int written = 0, differences = 0;
        string? after = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var page = await db.Meters.AsNoTracking()
                .Where(m => m.Transport == MeterTransport.Mqtt && (after == null || string.Compare(m.MeterNumber, after) > 0))
                .OrderBy(m => m.MeterNumber).Select(m => new { m.Id, m.MeterNumber }).Take(PageSize).ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }
            after = page[^1].MeterNumber;
            foreach (var meter in page)
            {
                var now = clock.GetCurrentInstant();
                var zone = (await tariffs.ForMeterAsync(db, meter.Id, now, ct))?.TimeZone ?? DateTimeZone.Utc;
                var compared = day ?? now.InZone(zone).Date.PlusDays(-1);
                var end = zone.AtStartOfDay(compared.PlusDays(1)).ToInstant();
                if (end > now || await db.BalanceComparisons.AnyAsync(c => c.MeterId == meter.Id && c.Day == compared, ct))
                {
                    continue;
                }
                var central = await CreditModels.IsCentralAsync(db, meter.Id, end, ct);
                var views = central ? await CentralAsync(db, meter.Id, ct) : await RegisterComparison.CompareAsync(db, meter.Id, compared, end, options.ComparisonToleranceWh, ct);
                if (views is null)
                {
                    continue;
                }
                var currency = central ? await db.Meters.Where(m => m.Id == meter.Id).Select(m => m.Currency).FirstAsync(ct) : null;
                var row = new BalanceComparisonRecord
                {
                    MeterId = meter.Id,
                    Day = compared,
                    MeterNumber = meter.MeterNumber,
                    Model = central ? BalanceComparisonRecord.CentralModel : BalanceComparisonRecord.MeterModel,
                    Unit = central ? BalanceComparisonRecord.Minor : BalanceComparisonRecord.Wh,
                    Currency = currency,
                    MeterView = views.MeterView,
                    MeterViewAt = views.MeterViewAt,
                    ServerView = views.ServerView,
                    Difference = views.Difference,
                    Reported = views.IsDifference,
                    Explanation = views.Explanation.Length > 1000 ? views.Explanation[..1000] : views.Explanation,
                    ComparedAt = now,
                };
                if (await WriteAsync(db, row, end, ct))
                {
                    written++;
                    differences += row.Reported ? 1 : 0;
                }
            }
        }
        return new ComparisonRun(written, differences);
    }

    private static async Task<ComparedViews> CentralAsync(PrepayDb db, Guid meterId, CancellationToken ct)
    {
        var status = await db.MeterStatus.AsNoTracking().Where(s => s.MeterId == meterId)
            .Select(s => new { s.DisplayedBalanceMinor, s.DisplayedBalanceCurrency, s.DisplayedBalanceAt }).FirstOrDefaultAsync(ct);
        var shown = status is { DisplayedBalanceMinor: { } minor, DisplayedBalanceCurrency: { } currency, DisplayedBalanceAt: { } at } ? new ReportedBalance(minor, currency, at) : null;
        // Only what went out: a display withdrawn before it was ever sent told the meter nothing.
        var sent = await db.MeterCommands.AsNoTracking()
            .Where(c => c.MeterId == meterId && c.Type == CommandTypes.ShowBalance && c.SentAt != null)
            .Select(c => new { c.Seq, c.State, c.Arguments }).ToListAsync(ct);
        var told = new List<ToldBalance>(sent.Count);
        foreach (var c in sent)
        {
            if (V1Commands.TryRead(CommandTypes.ShowBalance, JsonDocument.Parse(c.Arguments).RootElement.Clone(), out var command, out _) && command is MeterLink.Commands.ShowBalance b)
            {
                told.Add(new ToldBalance(c.Seq, c.State == CommandState.Acknowledged, b.Balance.Minor, b.Balance.Currency.Code, b.AsOf));
            }
        }
        return CentralComparison.Compare(shown, told);
    }

    // The row if absent, and its alert with it: a second run (or node) inserts nothing and raises nothing.
    private static async Task<bool> WriteAsync(PrepayDb db, BalanceComparisonRecord r, Instant dayEnd, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var day = NodaTime.Text.LocalDatePattern.Iso.Format(r.Day);
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO balance_comparisons (meter_id, day, meter_number, model, unit, currency, meter_view, meter_view_at, server_view, difference, reported, explanation, compared_at)
            VALUES ({r.MeterId}, {day}, {r.MeterNumber}, {r.Model}, {r.Unit}, {r.Currency}, {r.MeterView}, {r.MeterViewAt?.ToUnixTimeTicks()}, {r.ServerView}, {r.Difference}, {r.Reported}, {r.Explanation}, {r.ComparedAt.ToUnixTimeTicks()})
            ON CONFLICT (meter_id, day) DO NOTHING
            """, ct);
        if (inserted == 1 && r.Reported)
        {
            var details = $"{day}: {r.Explanation}";
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO operator_alerts (meter_id, meter_number, type, at, details, raised_at) VALUES ({r.MeterId}, {r.MeterNumber}, {AlertType}, {dayEnd.ToUnixTimeTicks()}, {details}, {r.ComparedAt.ToUnixTimeTicks()}) ON CONFLICT (meter_id, type, at) DO NOTHING", ct);
        }
        await tx.CommitAsync(ct);
        return inserted == 1;
    }
}
