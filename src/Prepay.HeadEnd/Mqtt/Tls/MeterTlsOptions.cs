namespace Prepay.HeadEnd.Mqtt.Tls;

/// <summary>Whether meters present a client certificate on the TLS endpoint.</summary>
public enum ClientCertificateMode
{
    /// <summary>Not asked for; meters log in with their number and derived password.</summary>
    None,

    /// <summary>Asked for; a meter that presents one is checked by it, one that does not logs in with its password.</summary>
    Optional,

    /// <summary>The TLS handshake fails without a certificate issued by the configured CA.</summary>
    Required,
}

/// <summary>
/// The embedded broker's TLS endpoint for meters (<c>Mqtt:Tls</c>). Off until <see cref="CertificatePath"/> is set.
/// A client certificate, when there is one, must chain to <see cref="ClientCaPath"/> and its subject CN must be the
/// meter number the connection claims (client id and user name), so one meter's certificate opens no other meter.
/// </summary>
public sealed class MeterTlsOptions
{
    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 file (.pfx/.p12, with <see cref="Password"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> (when that is PEM and holds no key itself).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password, or the PEM key's when it is encrypted. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Port of the TLS endpoint; 0 picks a free one (tests). Default 8883 (IANA's MQTT over TLS).</summary>
    public int Port { get; set; } = 8883;

    /// <summary>Address the TLS endpoint listens on. Default all IPv4 addresses: it is the meters' way in.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>None, Optional or Required. Default None.</summary>
    public ClientCertificateMode ClientCertificates { get; set; } = ClientCertificateMode.None;

    /// <summary>PEM file of the CA certificate(s) that issue meters' client certificates (needed unless None).</summary>
    public string? ClientCaPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    public string? Validate() =>
        !Enabled ? null
        : Port is < 0 or > 65535 ? "Mqtt:Tls:Port must be 0 to 65535"
        : !System.Net.IPAddress.TryParse(BindAddress, out _) ? "Mqtt:Tls:BindAddress must be an IP address"
        : ClientCertificates != ClientCertificateMode.None && string.IsNullOrWhiteSpace(ClientCaPath)
            ? "Mqtt:Tls:ClientCaPath is needed when Mqtt:Tls:ClientCertificates is Optional or Required"
        : null;
}
