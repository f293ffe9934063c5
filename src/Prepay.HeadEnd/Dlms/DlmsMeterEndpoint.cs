using Prepay.Dlms;
using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Where and how the head-end reaches one DLMS meter over the TCP wrapper (IEC 62056-47): host and port (4059 by
/// IANA), the client wPort (1 management, 16 public) and the server's logical device, the authentication
/// mechanism and the head-end's own system title. It carries no secret: keys come from an
/// <see cref="IDlmsKeyProvider"/> when a session opens, so printing an endpoint prints nothing secret.
/// </summary>
public sealed record DlmsMeterEndpoint
{
    public required MeterNumber Meter { get; init; }

    public required string Host { get; init; }

    public int Port { get; init; } = 4059;

    public ushort ClientAddress { get; init; } = 1;

    public ushort ServerAddress { get; init; } = 1;

    public DlmsAuthentication Authentication { get; init; } = DlmsAuthentication.HighGmac;

    /// <summary>The head-end's system title (8 bytes, Green Book: manufacturer id and serial), in the IV of what it ciphers.</summary>
    public Octets ClientSystemTitle { get; init; } = Octets.FromHex("5052455041594845");

    /// <summary>
    /// The system title the meter must answer with in its AARE under HLS (Green Book: the server's
    /// responding-AP-title); null: not checked. A meter answering with another one is not the meter registered here.
    /// </summary>
    public Octets? MeterSystemTitle { get; init; }

    /// <summary>How long the TCP connect may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long each request may wait for its answer.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public ushort MaxReceivePduSize { get; init; } = 1024;
}
