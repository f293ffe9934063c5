using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NodaTime;
using Prepay.HeadEnd.Mqtt.Tls;
using Prepay.Storage;

namespace Prepay.Cli.Simulate;

/// <summary>
/// <c>prepay demo --fleet-tls</c>'s broker certificate: self-signed for 127.0.0.1 and localhost, made once in the
/// data directory (the key with its final permissions as it is created, <see cref="SecretFile"/>) and pinned by its
/// SHA-256 fingerprint, which the demo prints and the simulated meters check, since no CA vouches for it.
/// </summary>
internal static class DemoBrokerCertificate
{
    public sealed record Files(string CertificatePath, string KeyPath, string Fingerprint);

    public static Files Ensure(string dataDirectory, Instant now)
    {
        var certificatePath = Path.Combine(dataDirectory, "mqtt-tls-cert.pem");
        var keyPath = Path.Combine(dataDirectory, "mqtt-tls-key.pem");
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Prepay demo broker", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(now.Minus(Duration.FromDays(1)).ToDateTimeOffset(), now.Plus(Duration.FromDays(825)).ToDateTimeOffset());
            SecretFile.Write(keyPath, key.ExportPkcs8PrivateKeyPem());
            SecretFile.Write(certificatePath, certificate.ExportCertificatePem());
        }
        using var stored = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        return new Files(certificatePath, keyPath, MeterTlsCertificates.Sha256Fingerprint(stored));
    }
}
