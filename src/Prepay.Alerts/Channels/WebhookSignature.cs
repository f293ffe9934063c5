using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Prepay.Alerts.Channels;

/// <summary>
/// Standard Webhooks (standardwebhooks.com, "Signature scheme"): a delivery carries <c>webhook-id</c> (the
/// notification's id, the same on every retry), <c>webhook-timestamp</c> (unix seconds) and <c>webhook-signature</c>,
/// a space-separated list of <c>v1,&lt;base64 HMAC-SHA256&gt;</c> of <c>"{id}.{timestamp}.{body}"</c>, one per secret in
/// force: two while a rotated-out secret is still honoured. Secrets are <c>whsec_</c> and the base64 of the key
/// bytes. The id and timestamp are signed with the body, so a receiver can refuse a replay or an old message.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>Key bytes in a new secret: 32, as the specification recommends (between 24 and 64).</summary>
    public const int SecretBytes = 32;

    /// <summary>A new random secret, <c>whsec_</c> and the base64 of <see cref="SecretBytes"/> bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>One <c>v1,…</c> signature of the message with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(Mac(Key(secret), id, timestamp, body));

    /// <summary>The header value: a signature per secret, space-separated, in the order given.</summary>
    public static string SignAll(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, id, timestamp, body)));

    /// <summary>
    /// True when any <c>v1</c> signature in <paramref name="signatureHeader"/> signs the message with
    /// <paramref name="secret"/> (compared in constant time). The caller checks the timestamp's age.
    /// </summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        ArgumentNullException.ThrowIfNull(signatureHeader);
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        var expected = Mac(Key(secret), id, seconds, body);
        var found = false;
        foreach (var signature in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = signature.Split(',', 2);
            if (parts.Length != 2 || parts[0] != "v1")
            {
                continue;
            }
            var given = new byte[expected.Length + 3];
            if (Convert.TryFromBase64String(parts[1], given, out var written) && written == expected.Length)
            {
                found |= CryptographicOperations.FixedTimeEquals(expected, given.AsSpan(0, written));
            }
        }
        return found;
    }

    /// <summary>
    /// The key a secret stands for: the base64 after <c>whsec_</c>. Secrets made before Prepay followed the
    /// standard were <c>whsec_</c> and 64 hex digits, which are base64 too: a receiver that keeps such a secret and
    /// verifies with a Standard Webhooks library gets the same key as Prepay signs with.
    /// </summary>
    public static byte[] Key(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var text = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        return Convert.FromBase64String(text);
    }

    private static byte[] Mac(byte[] key, string id, long timestamp, string body) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
}
