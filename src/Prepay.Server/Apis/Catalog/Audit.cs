using Prepay.Server.Auth;
using Prepay.Storage;
using Prepay.Storage.Records;

namespace Prepay.Server.Apis.Catalog;

/// <summary>Adds an audit record to the context, so it is written by the same SaveChanges as the change it records.</summary>
internal static class Audit
{
    public static void Record(PrepayDb db, HttpContext context, NodaTime.IClock clock, string action, string target, string? details = null) =>
        db.Audit.Add(new AuditRecord
        {
            At = clock.GetCurrentInstant(),
            Actor = ApiKeyAuthentication.ActorOf(context.User).AuditName,
            Action = action,
            Target = target,
            Details = details,
        });

    /// <summary>
    /// Records that this request was shown tokens (<see cref="AuditActions.TokenRead"/>): each of
    /// <paramref name="vends"/> with a token, one record for one vend, one per meter for a list. Nothing when none had a
    /// token (a smart meter's credit goes by command). The caller saves.
    /// </summary>
    public static void TokenRead(PrepayDb db, HttpContext context, NodaTime.IClock clock, string how, IEnumerable<(Guid VendId, string MeterNumber)> vends)
    {
        var shown = vends.ToList();
        if (shown.Count == 1)
        {
            Record(db, context, clock, AuditActions.TokenRead, $"vend/{shown[0].VendId}", $"{how}: meter {shown[0].MeterNumber}");
            return;
        }
        foreach (var meter in shown.GroupBy(v => v.MeterNumber, StringComparer.Ordinal))
        {
            Record(db, context, clock, AuditActions.TokenRead, $"meter/{meter.Key}", $"{how}: vends {string.Join(", ", meter.Select(v => v.VendId))}");
        }
    }
}
