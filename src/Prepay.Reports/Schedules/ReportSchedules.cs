using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Reports.Tables;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Reports;

namespace Prepay.Reports.Schedules;

/// <summary>What staff ask for: a report, its grouping, how often, in which zone, to whom.</summary>
public sealed record ScheduleInput(string? Report, string? GroupBy, string? Cadence, string? Zone, IReadOnlyList<string>? Recipients);

/// <summary>A schedule as shown: the recipients as a list, and the last period queued.</summary>
public sealed record ReportScheduleView(Guid Id, string Report, string? GroupBy, string Cadence, string Zone, IReadOnlyList<string> Recipients,
    string CreatedBy, Instant CreatedAt, string? LastPeriod, Instant? LastQueuedAt)
{
    public static ReportScheduleView Of(ReportScheduleRecord r) => new(r.Id, r.Report, r.GroupBy, r.Cadence, r.Zone,
        r.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries), r.CreatedBy, r.CreatedAt, r.LastPeriod, r.LastQueuedAt);
}

public abstract record ScheduleOutcome
{
    public sealed record Created(ReportScheduleView Schedule) : ScheduleOutcome;

    public sealed record Invalid(string Parameter, string Problem) : ScheduleOutcome;
}

/// <summary>
/// Scheduled reports kept (issue 17, item 4): created by staff for a report that exists, with a grouping it takes, a
/// cadence, a time zone and 1 to <see cref="MaxRecipients"/> email addresses; listed; deleted. Each change is audited
/// in its own transaction. <see cref="ScheduledReports"/> sends them.
/// </summary>
public sealed class ReportSchedules(IServiceScopeFactory scopes, IClock clock, ReportCatalogue catalogue)
{
    public const int MaxRecipients = 20;

    public const string CreatedAction = "report.schedule.created", DeletedAction = "report.schedule.deleted";

    public async Task<ScheduleOutcome> CreateAsync(ScheduleInput input, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (catalogue.Find(input.Report) is not { } report)
        {
            return new ScheduleOutcome.Invalid("report", "must be one of " + string.Join(", ", catalogue.All.Select(r => r.Name)));
        }
        if (input.GroupBy is { } g && !report.Groupings.Contains(g, StringComparer.Ordinal))
        {
            return new ScheduleOutcome.Invalid("groupBy", report.Groupings.Count == 0 ? $"{report.Name} takes no grouping" : "must be one of " + string.Join(", ", report.Groupings));
        }
        if (input.Cadence is not { } cadence || !Cadences.All.Contains(cadence, StringComparer.Ordinal))
        {
            return new ScheduleOutcome.Invalid("cadence", "must be daily, weekly or monthly");
        }
        var zone = string.IsNullOrEmpty(input.Zone) ? "UTC" : input.Zone;
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            return new ScheduleOutcome.Invalid("zone", "must be an IANA time zone such as Africa/Johannesburg");
        }
        var recipients = (input.Recipients ?? []).Select(r => r?.Trim() ?? "").ToList();
        if (recipients.Count is 0 or > MaxRecipients)
        {
            return new ScheduleOutcome.Invalid("recipients", $"1 to {MaxRecipients} email addresses");
        }
        if (recipients.FirstOrDefault(r => r.Contains(',', StringComparison.Ordinal) || !MailAddress.TryCreate(r, out var a) || a.Address != r) is { } bad)
        {
            return new ScheduleOutcome.Invalid("recipients", $"'{bad}' is not an email address (name@example.org)");
        }
        var now = clock.GetCurrentInstant();
        var record = new ReportScheduleRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Report = report.Name,
            GroupBy = input.GroupBy,
            Cadence = cadence,
            Zone = zone,
            Recipients = string.Join(',', recipients.Distinct(StringComparer.OrdinalIgnoreCase)),
            CreatedBy = actor,
            CreatedAt = now,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        db.ReportSchedules.Add(record);
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = CreatedAction, Target = $"report-schedule/{record.Id}", Details = $"{record.Report} {record.Cadence} to {record.Recipients}" });
        await db.SaveChangesAsync(ct);
        return new ScheduleOutcome.Created(ReportScheduleView.Of(record));
    }

    public async Task<IReadOnlyList<ReportScheduleView>> ListAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var all = await db.ReportSchedules.AsNoTracking().ToListAsync(ct);
        return [.. all.OrderBy(s => s.Report, StringComparer.Ordinal).ThenBy(s => s.CreatedAt).Select(ReportScheduleView.Of)];
    }

    /// <summary>False when there is no such schedule.</summary>
    public async Task<bool> DeleteAsync(Guid id, string actor, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        if (await db.ReportSchedules.FirstOrDefaultAsync(s => s.Id == id, ct) is not { } found)
        {
            return false;
        }
        db.ReportSchedules.Remove(found);
        db.Audit.Add(new AuditRecord { At = clock.GetCurrentInstant(), Actor = actor, Action = DeletedAction, Target = $"report-schedule/{id}", Details = $"{found.Report} {found.Cadence} to {found.Recipients}" });
        await db.SaveChangesAsync(ct);
        return true;
    }
}
