using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>
/// Where the head-end reaches one DLMS meter over the TCP wrapper (IEC 62056-47): host, port, the client's and the
/// server's wPort, the authentication mechanism, and the system title the meter is expected to answer with. No key
/// is kept here: keys come from configuration or the key store, so a copy of the database gives no way into a meter.
/// </summary>
public sealed class DlmsEndpointRecord
{
    public Guid MeterId { get; init; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public int ClientAddress { get; set; }
    public int ServerAddress { get; set; }

    /// <summary><c>none</c>, <c>low</c> or <c>high-gmac</c>.</summary>
    public required string Authentication { get; set; }

    /// <summary>The meter's system title (16 hex digits), checked against its AARE under HLS; null: not checked.</summary>
    public string? SystemTitle { get; set; }

    public Instant UpdatedAt { get; set; }
}
