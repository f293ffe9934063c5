using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Prepay.Testing;

/// <summary>
/// A throwaway PKI for TLS tests, written as PEM files into a directory of its own: a CA, a server certificate for
/// 127.0.0.1 issued by it, and client certificates with a given CN (issued by the CA, or by a stranger CA).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    // TLS checks a certificate's validity against the machine's clock, not the server's injected one.
#pragma warning disable RS0030
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddDays(-1);
#pragma warning restore RS0030
    private static readonly DateTimeOffset NotAfter = NotBefore.AddDays(31);

    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _strangerCa;

    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "prepay-tls", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        _ca = Authority("Prepay test meter CA");
        _strangerCa = Authority("Someone else's CA");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
        using var server = Issue(_ca, "127.0.0.1", serverAuth: true);
        File.WriteAllText(ServerCertificatePath, server.ExportCertificatePem());
        using var key = server.GetECDsaPrivateKey()!;
        File.WriteAllText(ServerKeyPath, key.ExportPkcs8PrivateKeyPem());
        ServerFingerprint = Prepay.HeadEnd.Mqtt.Tls.MeterTlsCertificates.Sha256Fingerprint(server);
    }

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, "ca.pem");

    public string ServerCertificatePath => Path.Combine(Directory, "server.pem");

    public string ServerKeyPath => Path.Combine(Directory, "server-key.pem");

    public string ServerFingerprint { get; }

    /// <summary>A client certificate for <paramref name="commonName"/>, with its key, issued by the test CA (or a stranger).</summary>
    public X509Certificate2 Client(string commonName, bool strangerCa = false) => Issue(strangerCa ? _strangerCa : _ca, commonName, serverAuth: false);

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(NotBefore, NotAfter);
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string commonName, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(issuer, NotBefore, NotAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12 so that SslStream can use the key on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _strangerCa.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
