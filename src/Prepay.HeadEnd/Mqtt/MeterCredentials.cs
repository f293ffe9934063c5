using System.Security.Cryptography;
using System.Text;

namespace Prepay.HeadEnd.Mqtt;

/// <summary>
/// Per-meter broker credentials: the user name is the meter number and the password an HMAC of it under the
/// head-end's secret, so no password table is needed and a leaked password opens one meter's topics only.
/// </summary>
public sealed class MeterCredentials(string secret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public string PasswordFor(string meterNumber) => Derive("meter:" + meterNumber);

    public string ServicePassword => Derive("service");

    public bool IsMeterPassword(string meterNumber, string? password) =>
        password is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(PasswordFor(meterNumber)), Encoding.UTF8.GetBytes(password));

    public bool IsServicePassword(string? password) =>
        password is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(ServicePassword), Encoding.UTF8.GetBytes(password));

    private string Derive(string purpose) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose)))[..32];

    /// <summary>The configured secret, or the one kept in the data directory (created on first use, mode 600).</summary>
    public static MeterCredentials Load(MqttOptions options, string dataDirectory) =>
        new(Prepay.Storage.SecretFile.ConfiguredOrRandom(options.CredentialSecret, Path.Combine(dataDirectory, "mqtt-secret")));
}
