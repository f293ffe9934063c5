using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;

namespace Prepay.Server.Apis.Catalog;

public sealed record AuditDto(long Id, Instant At, string Actor, string Action, string Target, string? Details);

public static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder api) =>
        api.MapGet("/audit", async (PrepayDb db, string? from, string? to, string? action, int? limit, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var f = VendsApi.ParseInstant(from, "from", errors);
            var t = VendsApi.ParseInstant(to, "to", errors);
            if (errors.Count > 0)
            {
                return (IResult)Problems.Invalid(errors);
            }
            var q = db.Audit.AsNoTracking();
            if (f is { } ff)
            {
                q = q.Where(a => a.At >= ff);
            }
            if (t is { } tt)
            {
                q = q.Where(a => a.At < tt);
            }
            if (!string.IsNullOrWhiteSpace(action))
            {
                q = q.Where(a => a.Action == action);
            }
            var rows = await q.OrderByDescending(a => a.Id).Take(Math.Clamp(limit ?? 100, 1, 1000))
                .Select(a => new AuditDto(a.Id, a.At, a.Actor, a.Action, a.Target, a.Details)).ToListAsync(ct);
            return TypedResults.Ok(rows);
        }).WithTags("Audit").RequireAuthorization(Policies.Staff);
}
