using Prepay.Simulator.Agents;

namespace Prepay.Simulator.Fleet;

/// <summary>
/// Registers the fleet's DLMS meters with the server as an operator would (a staff key: operator or admin): the
/// meter's transport <c>dlms</c> (<c>PUT /api/v1/meters/{n}/transport</c>), then where the head-end reaches it
/// (<c>PUT /api/v1/meters/{n}/dlms</c>: loopback, its port, the management client 1 and logical device 1, HLS-GMAC,
/// its system title, which the head-end checks in the AARE and by which it knows the meter's pushes). Keys are not
/// sent: the server has them in <c>Dlms:Keys</c>. <see cref="ReleaseAsync"/> puts a meter back on MQTT.
/// </summary>
public static class DlmsEnrolment
{
    public static async Task EnrolAsync(PrepayApi staff, DlmsMeterAgent agent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(agent);
        await staff.SendAsync(HttpMethod.Put, $"/api/v1/meters/{agent.MeterNumber}/dlms", new
        {
            host = "127.0.0.1",
            port = agent.Port,
            clientAddress = 1,
            serverAddress = 1,
            authentication = "high-gmac",
            systemTitle = agent.SystemTitle.ToString(),
        }, ct);
        // The endpoint first: a meter on transport dlms without one has its commands wait.
        await staff.SendAsync(HttpMethod.Put, $"/api/v1/meters/{agent.MeterNumber}/transport", new { transport = "dlms" }, ct);
    }

    /// <summary>Back on MQTT once its DLMS server is gone, so the next run (or the demo) finds it where it was.</summary>
    public static Task ReleaseAsync(PrepayApi staff, string meterNumber, CancellationToken ct) =>
        staff.SendAsync(HttpMethod.Put, $"/api/v1/meters/{meterNumber}/transport", new { transport = "mqtt" }, ct);
}
