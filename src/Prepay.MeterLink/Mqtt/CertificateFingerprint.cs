using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Prepay.MeterLink.Mqtt;

/// <summary>
/// A broker certificate named by its SHA-256 fingerprint: how a meter trusts a self-signed broker (the demo's) without
/// a certificate authority.
/// </summary>
public static class CertificateFingerprint
{
    /// <summary>SHA-256 of the DER certificate as colon-separated hex pairs, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public static string Sha256(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(p => new string(p)));

    /// <summary>Whether <paramref name="certificate"/> is the one <paramref name="fingerprint"/> names (colons and case ignored).</summary>
    public static bool Matches(X509Certificate2 certificate, string fingerprint)
    {
        var expected = fingerprint.Replace(":", "", StringComparison.Ordinal).Trim();
        var actual = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        return expected.Length == actual.Length && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(actual), System.Text.Encoding.ASCII.GetBytes(expected.ToUpperInvariant()));
    }
}
