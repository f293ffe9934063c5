using Microsoft.EntityFrameworkCore;
using Prepay.Storage;

namespace Prepay.Server.Apis;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and its database does too.</summary>
public static class HealthApi
{
    public static void MapPrepayHealth(this WebApplication app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" }));
        health.MapGet("/ready", async (PrepayDb db, CancellationToken ct) =>
            await db.Database.CanConnectAsync(ct)
                ? Results.Ok(new { status = "ready" })
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable", type: Http.Problems.Type("not-ready")));
    }
}
