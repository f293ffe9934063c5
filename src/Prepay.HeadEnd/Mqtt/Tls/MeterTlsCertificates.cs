using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Prepay.HeadEnd.Mqtt.Tls;

/// <summary>
/// The certificates of the meters' TLS endpoint: the server's, loaded from PEM or PKCS#12, and the check of a
/// meter's client certificate against the configured CA (the CN is matched to the meter later, at CONNECT, where the
/// claimed meter number is known).
/// </summary>
public static class MeterTlsCertificates
{
    /// <summary>TLS Web Client Authentication (RFC 5280 §4.2.1.12, id-kp-clientAuth).</summary>
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>The server certificate with its private key, from <see cref="MeterTlsOptions.CertificatePath"/>.</summary>
    public static X509Certificate2 LoadServerCertificate(MeterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath ?? throw new InvalidOperationException("Mqtt:Tls:CertificatePath is not set");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Mqtt:Tls:CertificatePath '{path}' does not exist");
        }
        X509Certificate2 certificate;
        if (Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12")
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.Password);
        }
        else
        {
            var keyPath = string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath;
            using var pem = string.IsNullOrEmpty(options.Password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.Password, keyPath);
            // A key read from PEM is ephemeral, which SslStream cannot use as a server key on every platform; a
            // PKCS#12 round trip gives it a usable key container.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"Mqtt:Tls: the certificate in '{path}' comes without its private key (set Mqtt:Tls:KeyPath)");
        }
        return certificate;
    }

    /// <summary>The CA certificates of <see cref="MeterTlsOptions.ClientCaPath"/> (PEM, one or more).</summary>
    public static X509Certificate2Collection LoadClientCa(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Mqtt:Tls:ClientCaPath '{path}' does not exist");
        }
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0)
        {
            throw new InvalidOperationException($"Mqtt:Tls:ClientCaPath '{path}' holds no certificate");
        }
        return roots;
    }

    /// <summary>
    /// The TLS handshake's check of a client certificate: absent, allowed only when certificates are optional;
    /// present, it must chain to one of <paramref name="roots"/> (the machine's store is not consulted) and, when it
    /// names its uses, allow client authentication.
    /// </summary>
    public static RemoteCertificateValidationCallback ClientCheck(X509Certificate2Collection roots, ClientCertificateMode mode) =>
        (_, certificate, presented, _) =>
        {
            if (certificate is null)
            {
                return mode == ClientCertificateMode.Optional;
            }
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
            if (presented is not null)
            {
                // Intermediates the client sent along.
                foreach (var element in presented.ChainElements.Skip(1))
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
            return chain.Build(leaf);
        };

    /// <summary>The meter number a client certificate stands for: its subject's common name.</summary>
    public static string? MeterNumberOf(X509Certificate2 certificate) =>
        certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn ? cn : null;

    /// <summary>SHA-256 of the DER certificate as colon-separated hex pairs, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate) => MeterLink.Mqtt.CertificateFingerprint.Sha256(certificate);

    /// <summary>Whether <paramref name="certificate"/> is the one <paramref name="fingerprint"/> names (colons and case ignored).</summary>
    public static bool MatchesFingerprint(X509Certificate2 certificate, string fingerprint) => MeterLink.Mqtt.CertificateFingerprint.Matches(certificate, fingerprint);
}
