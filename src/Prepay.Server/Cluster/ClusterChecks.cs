using Prepay.HeadEnd.Mqtt;
using Prepay.Server.Web.KeyRing;
using Prepay.Storage;

namespace Prepay.Server.Cluster;

/// <summary>
/// What <c>prepay serve</c> refuses before it starts, in one line: a configuration that looks like one node but
/// runs as several. On PostgreSQL, nodes are expected to be several (it is what PostgreSQL is for here), so each must
/// reach the same meters and read the same secrets: an embedded broker per node would hold only the meters that
/// happened to connect to it, and a secret generated into each node's data directory differs from node to node
/// (meters' passwords and command keys, sign-in cookies). <c>Cluster:SingleNode=true</c> says there is only one.
/// SQLite is one node by nature and is not checked.
/// </summary>
public static class ClusterChecks
{
    public const string SingleNodeKey = "Cluster:SingleNode";

    /// <summary>The first problem found, or null when the configuration can run as several nodes (or says it is one).</summary>
    public static string? Problem(IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (storage.Provider != DatabaseProvider.Postgres || configuration.GetValue<bool>(SingleNodeKey))
        {
            return null;
        }
        var mqtt = MqttOptions.From(configuration);
        if (mqtt.Enabled && mqtt.Embedded)
        {
            return "on PostgreSQL every node must use one shared MQTT broker, not its own embedded one: set Mqtt:Embedded=false with Mqtt:Host and Mqtt:Port (`prepay mqtt mosquitto-config` writes a Mosquitto configuration), or Cluster:SingleNode=true for a single node";
        }
        var missing = new[]
        {
            ("Mqtt:CredentialSecret", mqtt.CredentialSecret),
            ("Mqtt:CommandSecret", mqtt.CommandSecret),
            ($"{KeyRingSetup.Section}:KeySecret", configuration[$"{KeyRingSetup.Section}:KeySecret"]),
        }.Where(s => string.IsNullOrWhiteSpace(s.Item2)).Select(s => s.Item1).ToList();
        return missing.Count == 0 ? null
            : $"on PostgreSQL every node needs the same {string.Join(", ", missing)} (environment PREPAY_{missing[0].Replace(":", "__", StringComparison.Ordinal)} and the like); a secret generated into each node's data directory differs from node to node. Or set Cluster:SingleNode=true for a single node";
    }
}
