using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Prepay.Storage;

namespace Prepay.Server.Web.KeyRing;

/// <summary>
/// Where the web's data-protection keys live. They protect the sign-in cookie, the authenticator step's cookie and
/// every form's antiforgery token, so a node that keeps its own keys (the framework's default: a directory in the
/// user's home) cannot read what another node issued, and every test server on a machine shares one directory.
/// Here they are rows of the database that all nodes share, each key's XML encrypted (<see cref="KeyRingEncryptor"/>)
/// under a secret that never enters the database: <c>DataProtection:KeySecret</c> (the same on every node), or for
/// a single node one made on first start in <c>{data}/data-protection-secret</c>, owner-only.
/// </summary>
public static class KeyRingSetup
{
    public const string Section = "DataProtection";

    /// <summary>Every node names the application the same, so their keys and purposes match whatever their install path.</summary>
    public const string ApplicationName = "Prepay";

    public static IServiceCollection AddPrepayKeyRing(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var secret = new KeyRingSecret(SecretFile.ConfiguredOrRandom(configuration[$"{Section}:KeySecret"],
            Path.Combine(dataDirectory, "data-protection-secret")));
        services.AddSingleton(secret);
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<PrepayDb>()
            .AddKeyManagementOptions(o => o.XmlEncryptor = new KeyRingEncryptor(secret));
        return services;
    }
}

/// <summary>The secret that the key ring's keys are encrypted under; never logged (its ToString says so).</summary>
public sealed class KeyRingSecret(string secret)
{
    private const string Purpose = "prepay-data-protection-keys/v1";

    /// <summary>The AES-256 key for the stored keys (HKDF-SHA256 of the secret, RFC 5869, for this purpose only).</summary>
    internal byte[] EncryptionKey { get; } = HKDF.DeriveKey(HashAlgorithmName.SHA256, System.Text.Encoding.UTF8.GetBytes(secret), 32,
        info: System.Text.Encoding.UTF8.GetBytes(Purpose));

    public override string ToString() => "KeyRingSecret(hidden)";
}
