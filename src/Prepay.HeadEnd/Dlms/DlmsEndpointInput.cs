namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Where a DLMS meter is reached, as an operator gives it (<c>PUT /api/v1/meters/{n}/dlms</c>): host (name or
/// address), port (4059 when left out, the IANA port of the TCP wrapper), the client's wPort (1, the management
/// client, when left out) and the server's logical device (1), the authentication (<c>none</c>, <c>low</c> or
/// <c>high-gmac</c>, the default) and, optionally, the meter's system title (16 hex digits) to check its AARE against.
/// </summary>
public sealed record DlmsEndpointInput(string? Host, int? Port = null, int? ClientAddress = null, int? ServerAddress = null,
    string? Authentication = null, string? SystemTitle = null);

/// <summary>A meter's DLMS endpoint as the API shows it: no key, ever (keys live in configuration or the key store).</summary>
public sealed record DlmsEndpointView(string Host, int Port, int ClientAddress, int ServerAddress, string Authentication, string? SystemTitle);

/// <summary>The names of <see cref="DlmsAuthentication"/> on the API and in storage.</summary>
public static class DlmsAuthentications
{
    public static string Name(DlmsAuthentication authentication) => authentication switch
    {
        DlmsAuthentication.None => "none",
        DlmsAuthentication.Low => "low",
        DlmsAuthentication.HighGmac => "high-gmac",
        _ => throw new ArgumentOutOfRangeException(nameof(authentication)),
    };

    public static bool TryParse(string? name, out DlmsAuthentication authentication)
    {
        (bool ok, authentication) = name switch
        {
            "none" => (true, DlmsAuthentication.None),
            "low" => (true, DlmsAuthentication.Low),
            "high-gmac" => (true, DlmsAuthentication.HighGmac),
            _ => (false, DlmsAuthentication.None),
        };
        return ok;
    }
}
