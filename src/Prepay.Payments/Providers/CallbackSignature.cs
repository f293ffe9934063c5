using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Prepay.Payments.Providers;

/// <summary>
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>, the scheme card providers use for
/// their callbacks: the timestamp is signed with the body, so an old callback cannot be passed off as new, and the
/// comparison takes the same time whatever the signature. (Prepay's own outgoing webhooks follow Standard Webhooks
/// instead: <c>Prepay.Alerts.Channels.WebhookSignature</c>.)
/// </summary>
public static class CallbackSignature
{
    public static string Sign(string secret, long unixSeconds, string body) =>
        $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Hex(secret, unixSeconds, body)}";

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/>; the signed time in <paramref name="unixSeconds"/>.</summary>
    public static bool Verify(string secret, string header, string body, out long unixSeconds)
    {
        ArgumentNullException.ThrowIfNull(header);
        unixSeconds = 0;
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0].Trim() == "t")
            {
                t = kv[1].Trim();
            }
            else if (kv.Length == 2 && kv[0].Trim() == "v1")
            {
                v1 = kv[1].Trim();
            }
        }
        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex(secret, unixSeconds, body)), Encoding.ASCII.GetBytes(v1.ToLowerInvariant()));
    }

    private static string Hex(string secret, long unixSeconds, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "." + body)));
}
