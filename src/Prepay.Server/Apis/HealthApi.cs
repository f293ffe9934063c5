using Microsoft.EntityFrameworkCore;
using Prepay.HeadEnd.Mqtt;
using Prepay.Storage;

namespace Prepay.Server.Apis;

/// <summary>
/// <c>/health/live</c>: the process answers (restart it when this fails). <c>/health/ready</c>: and it can do its
/// work: its database answers and, when it runs the MQTT head-end, its connection to the broker is up (send it no
/// traffic while this fails). Backlogs are the cluster's, not a node's, and are metrics (<c>/metrics</c>), not readiness:
/// a growing queue is no reason to take every node out of a load balancer.
/// </summary>
public static class HealthApi
{
    public static void MapPrepayHealth(this WebApplication app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" }));
        health.MapGet("/ready", async (PrepayDb db, IServiceProvider services, CancellationToken ct) =>
        {
            var database = await db.Database.CanConnectAsync(ct);
            var broker = services.GetService<MqttHeadEnd>() is not { } headEnd || headEnd.BrokerConnected;
            return (database, broker) switch
            {
                (true, true) => Results.Ok(new { status = "ready", database = "up", broker = "up" }),
                (false, _) => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable", type: Http.Problems.Type("not-ready")),
                _ => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "MQTT broker unreachable",
                    detail: "The head-end is not connected to its MQTT broker: commands cannot reach meters from this node.", type: Http.Problems.Type("not-ready")),
            };
        });
    }
}
