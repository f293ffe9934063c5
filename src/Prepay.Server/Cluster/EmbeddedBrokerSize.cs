using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Mqtt;
using Prepay.Storage;

namespace Prepay.Server.Cluster;

/// <summary>
/// What <c>prepay serve</c> says at start when the fleet has outgrown the embedded broker. MQTTnet's server routes
/// each message by checking the subscriptions of every connected session (MQTTnet issue 2174, not fixed in the
/// version Prepay uses), so a message costs in proportion to the meters connected: with 10,000 meters on two cores it
/// carries about 170-250 messages/s (README, `prepay bench connections`), enough for a status every minute and readings
/// every 15 minutes from each, not for more. Above <see cref="DefaultMaxMeters"/> MQTT meters (configurable,
/// <c>Mqtt:EmbeddedBrokerMaxMeters</c>) Mosquitto is the broker to run (<c>Mqtt:Embedded=false</c>,
/// <c>prepay mqtt mosquitto-config</c>, docs/mqtt.md). Said, not refused: the server works, it just will not keep up.
/// </summary>
public static class EmbeddedBrokerSize
{
    public const string MaxMetersKey = "Mqtt:EmbeddedBrokerMaxMeters";

    public const int DefaultMaxMeters = 5_000;

    /// <summary>The line to say, or null when the broker is external or the fleet is within its size.</summary>
    public static async Task<string?> WarningAsync(IServiceProvider services, IConfiguration configuration, CancellationToken ct)
    {
        var mqtt = MqttOptions.From(configuration);
        if (!mqtt.Enabled || !mqtt.Embedded)
        {
            return null;
        }
        var max = configuration.GetValue(MaxMetersKey, DefaultMaxMeters);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meters = await db.Meters.CountAsync(m => m.Transport == MeterTransport.Mqtt, ct);
        return meters <= max ? null
            : $"{meters:N0} MQTT meters are registered and this server runs the embedded broker, which checks every connected meter's subscriptions for each message and above {max:N0} meters will not keep up: run Mosquitto (Mqtt:Embedded=false; `prepay mqtt mosquitto-config` writes its configuration; docs/mqtt.md)";
    }
}
