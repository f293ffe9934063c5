using System.Net;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// The push listener (<c>Dlms:Push</c>): a TCP wrapper port (IEC 62056-47) on which meters' push setup objects
/// deliver Data-Notifications. Off unless <see cref="Port"/> is set; bound to loopback unless <see cref="Address"/>
/// says otherwise (meters in the field reach it through whatever the operator puts in front: a VPN, an APN).
/// </summary>
public sealed class DlmsPushOptions
{
    /// <summary>The TCP port, 1 to 65535 (0: a free one, for tests); null (the default): no listener.</summary>
    public int? Port { get; set; }

    /// <summary>The address to listen on: an IP address, 127.0.0.1 unless configured.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// Whether unciphered pushes are taken (then the meter is the one its body names). Off by default: anyone who can
    /// reach the port could otherwise write any meter's credit.
    /// </summary>
    public bool AcceptPlain { get; set; }

    /// <summary>Connections served at once: 1 to 65536.</summary>
    public int MaxConnections { get; set; } = 512;

    public bool Enabled => Port is not null;

    public string? Validate() =>
        Port is < 0 or > 65535 ? "Dlms:Push:Port must be 0 to 65535"
        : !IPAddress.TryParse(Address, out _) ? "Dlms:Push:Address must be an IP address"
        : MaxConnections is < 1 or > 65536 ? "Dlms:Push:MaxConnections must be 1 to 65536"
        : null;
}
