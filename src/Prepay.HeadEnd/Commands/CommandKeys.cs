using System.Security.Cryptography;
using System.Text;
using Prepay.HeadEnd.Mqtt;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Each meter's command key, the key its commands' MACs are made with: HMAC-SHA256(master secret,
/// "prepay-command-key/v1" ‖ meter number). The master is not the broker's credential secret, so whoever holds the
/// broker (its password file, a meter's password, the service login) still cannot make a command a meter accepts;
/// and a key taken out of one meter signs for that meter only.
/// </summary>
public sealed class CommandKeys(string secret)
{
    private const string Purpose = "prepay-command-key/v1";

    private readonly byte[] _master = Encoding.UTF8.GetBytes(secret);

    /// <summary>The 32-byte key provisioned into meter <paramref name="meterNumber"/> (docs/mqtt.md, Signed commands).</summary>
    public byte[] KeyFor(string meterNumber) =>
        HMACSHA256.HashData(_master, Encoding.UTF8.GetBytes(Purpose + meterNumber));

    /// <summary>
    /// The configured master secret (<c>Mqtt:CommandSecret</c>), or the one kept in <c>{data}/command-secret</c>,
    /// created owner-only on first use.
    /// </summary>
    public static CommandKeys Load(MqttOptions options, string dataDirectory) =>
        new(Prepay.Storage.SecretFile.ConfiguredOrRandom(options.CommandSecret, Path.Combine(dataDirectory, "command-secret")));
}
