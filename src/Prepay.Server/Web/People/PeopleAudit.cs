using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;

namespace Prepay.Server.Web.People;

/// <summary>Audit records for what people do on the pages (sign-ins, look-ups, reprints); vends audit themselves.</summary>
public static class PeopleAudit
{
    public static async Task RecordAsync(PrepayDb db, IClock clock, string actor, string action, string target, string? details, CancellationToken ct)
    {
        db.Audit.Add(new AuditRecord { At = clock.GetCurrentInstant(), Actor = actor, Action = action, Target = target, Details = details });
        await db.SaveChangesAsync(ct);
    }
}
