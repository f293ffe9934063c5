using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Prepay.Alerts.Channels;

/// <summary>
/// <c>Prepay-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>. The timestamp is
/// signed with the body so that a receiver can refuse old replays; it compares in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Prepay-Signature";
    public const string DeliveryHeader = "Prepay-Delivery-Id";
    public const string EventHeader = "Prepay-Event";

    public static string Sign(string secret, long unixSeconds, string body) =>
        $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Hex(secret, unixSeconds, body)}";

    /// <summary>True when <paramref name="header"/> is a valid signature of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static bool Verify(string secret, string header, string body, out long unixSeconds)
    {
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
