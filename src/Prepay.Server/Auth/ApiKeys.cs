using System.Security.Cryptography;
using System.Text;

namespace Prepay.Server.Auth;

/// <summary>
/// API keys are 192 random bits written as <c>pp_</c> plus 32 base64url characters. Only their SHA-256 is stored:
/// with that much entropy a fast hash is enough (nobody can guess a preimage), and lookups stay one index probe.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "pp_";
    public const int MinimumLength = 24;

    public static string NewKey() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The first characters of a key, safe to show and log, to tell keys apart.</summary>
    public static string DisplayPrefix(string key) => key.Length <= 10 ? "…" : key[..10] + "…";

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
