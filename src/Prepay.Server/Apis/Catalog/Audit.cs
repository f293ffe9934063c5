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
}
