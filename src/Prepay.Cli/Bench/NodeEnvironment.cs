using System.Globalization;

namespace Prepay.Cli.Bench;

/// <summary>
/// The environment of one <c>prepay serve</c> node among several on one PostgreSQL and one shared broker, as
/// docs/operations.md sets them: the same secrets on every node, a head-end client id of the node's own. Loopback
/// runs here lift the per-meter and per-client limits a real fleet would never meet; sign-in cookies may travel over
/// plain http (Development).
/// </summary>
public static class NodeEnvironment
{
    public sealed record Shared(string ConnectionString, int BrokerServicePort, string CredentialSecret, string CommandSecret, string KeyRingSecret);

    public static Dictionary<string, string> For(Shared shared, string clientId)
    {
        ArgumentNullException.ThrowIfNull(shared);
        return new()
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["PREPAY_Storage__Provider"] = "Postgres",
            ["PREPAY_Storage__ConnectionString"] = shared.ConnectionString,
            ["PREPAY_Mqtt__Embedded"] = "false",
            ["PREPAY_Mqtt__Host"] = "127.0.0.1",
            ["PREPAY_Mqtt__Port"] = shared.BrokerServicePort.ToString(CultureInfo.InvariantCulture),
            ["PREPAY_Mqtt__CredentialSecret"] = shared.CredentialSecret,
            ["PREPAY_Mqtt__CommandSecret"] = shared.CommandSecret,
            // Several nodes on one host: the default (service user and host name) would be the same for all.
            ["PREPAY_Mqtt__ClientId"] = clientId,
            ["PREPAY_Mqtt__Limits__MessagesPerMinute"] = "10000000",
            ["PREPAY_Mqtt__Limits__EventsPerMinute"] = "10000000",
            ["PREPAY_DataProtection__KeySecret"] = shared.KeyRingSecret,
            ["PREPAY_Sts__VendingKeyHex"] = "0123456789abcdef", // a TEST key: smart meters here take credit, not tokens
            ["PREPAY_RateLimit__PermitsPerSecond"] = "100000",
            ["PREPAY_RateLimit__Burst"] = "100000",
            ["PREPAY_RateLimit__PerAddressPermitsPerSecond"] = "100000",
            ["PREPAY_RateLimit__PerAddressBurst"] = "100000",
            ["PREPAY_RateLimit__SignInPerMinute"] = "100000",
            ["PREPAY_Logging__LogLevel__Default"] = "Warning",
        };
    }
}
