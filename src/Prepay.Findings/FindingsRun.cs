using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.RevenueProtection;
using Prepay.RevenueProtection.Findings;
using Prepay.Storage;
using Prepay.Storage.Records.Revenue;

namespace Prepay.Findings;

/// <summary>What one run did: sites read, findings made, findings brought up to date, operator alerts raised.</summary>
public sealed record FindingsRunResult(int Sites, int Made, int Updated, int Alerts);

/// <summary>
/// The detectors over every site for the window ending now, their findings kept: a finding already open or under
/// investigation for the same kind, place and subject is brought up to date (its period, confidence, sentence and
/// evidence), one a person already confirmed or dismissed for the same episode (its period reaching into this one's)
/// is left as they judged it, and any other is stored as open, raising an operator alert in the same transaction
/// when it is sure enough (<see cref="FindingsOptions.AlertConfidence"/>). A site at a time, each in its own transaction.
/// </summary>
public sealed class FindingsRun(IServiceScopeFactory scopes, IClock clock, FindingsOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<FindingsRunResult> RunAsync(CancellationToken ct)
    {
        int sites = 0, made = 0, updated = 0, alerts = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var all = await db.Sites.AsNoTracking().OrderBy(s => s.Code).Select(s => new { s.Id, s.Code }).ToListAsync(ct);
        foreach (var site in all)
        {
            var now = clock.GetCurrentInstant();
            var window = new Interval(now - Duration.FromTimeSpan(options.Window), now);
            var (observations, meterIds) = await SiteObservationsReader.ReadAsync(db, site.Id, site.Code, window, ct);
            if (observations.Meters.Count == 0)
            {
                continue;
            }
            sites++;
            var findings = RevenueDetectors.Detect(observations, window, options.Detection);
            await using var tx = await db.BeginWriteAsync(ct);
            foreach (var f in findings)
            {
                var kind = Name(f.Kind);
                var meter = f.Meter?.Value;
                var subject = Subject(f);
                var evidence = JsonSerializer.Serialize(f.Evidence.Take(200).Select(e => new { kind = Name(e.Kind), at = e.At.ToString(), reference = e.Reference, detail = e.Detail }), Json);
                var summary = f.Summary.Length > 1000 ? f.Summary[..1000] : f.Summary;
                var same = db.Findings.Where(x => x.Kind == kind && x.SiteCode == site.Code && x.MeterNumber == meter && x.Subject == subject);
                var active = await same.FirstOrDefaultAsync(x => x.State == FindingRecord.Open || x.State == FindingRecord.Investigating, ct);
                if (active is not null)
                {
                    active.PeriodStart = active.PeriodStart < f.Period.Start ? active.PeriodStart : f.Period.Start;
                    active.PeriodEnd = f.Period.End;
                    active.Confidence = f.Confidence;
                    active.Summary = summary;
                    active.Evidence = evidence;
                    active.UpdatedAt = now;
                    updated++;
                    continue;
                }
                if (await same.AnyAsync(x => x.PeriodEnd >= f.Period.Start, ct))
                {
                    continue; // judged by a person for this episode
                }
                Guid? meterId = meter is null ? null : meterIds[meter];
                db.Findings.Add(new FindingRecord
                {
                    Kind = kind, SiteCode = site.Code, MeterId = meterId, MeterNumber = meter, Subject = subject,
                    PeriodStart = f.Period.Start, PeriodEnd = f.Period.End, Confidence = f.Confidence, Summary = summary, Evidence = evidence,
                    State = FindingRecord.Open, FoundAt = now, UpdatedAt = now,
                });
                made++;
                // A site's finding alerts on the first meter its evidence names (an operator alert belongs to a meter).
                var alertMeter = meter ?? f.Evidence.Select(e => e.Reference.Split('/')[0]).FirstOrDefault(meterIds.ContainsKey);
                if (f.Confidence >= options.AlertConfidence && alertMeter is not null)
                {
                    var type = $"finding.{kind}";
                    var details = $"{site.Code}: {summary}";
                    alerts += await db.Database.ExecuteSqlAsync(
                        $"INSERT INTO operator_alerts (meter_id, meter_number, type, at, details, raised_at) VALUES ({meterIds[alertMeter]}, {alertMeter}, {type}, {f.Period.Start.ToUnixTimeTicks()}, {details}, {now.ToUnixTimeTicks()}) ON CONFLICT (meter_id, type, at) DO NOTHING", ct);
                }
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        return new FindingsRunResult(sites, made, updated, alerts);
    }

    /// <summary>A kind's (or evidence kind's) name in JSON and in the database: camelCase.</summary>
    public static string Name<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    // What the finding is about beyond its kind and place: the record for a credit finding, the start for a site's outage.
    private static string Subject(Finding f) => f.Kind switch
    {
        FindingKind.CreditNotRegistered or FindingKind.TokenNeverEntered or FindingKind.UnexplainedCredit or FindingKind.TokenOutOfSequence => f.Evidence[0].Reference,
        FindingKind.SiteOutage => f.Period.Start.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture),
        _ => "",
    };
}
