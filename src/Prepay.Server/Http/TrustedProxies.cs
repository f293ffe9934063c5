using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Prepay.Server.Http;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed, bound from
/// <c>Proxies</c>. None by default: then the headers are ignored and the client address is the connection's, so
/// nobody can pick their own rate-limit bucket by writing a header. (ASP.NET Core's own default trusts loopback;
/// here even loopback must be named.)
/// </summary>
public sealed class TrustedProxies
{
    public const string Section = "Proxies";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> Networks { get; set; } = [];

    public bool Any => Addresses.Count > 0 || Networks.Count > 0;

    public ForwardedHeadersOptions ToOptions()
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // The nearest proxy's word only: addresses further left in the header are the client's to write.
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var address in Addresses)
        {
            options.KnownProxies.Add(IPAddress.TryParse(address, out var ip) ? ip
                : throw new InvalidOperationException($"Proxies:Addresses: '{address}' is not an IP address."));
        }
        foreach (var network in Networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var net) ? net
                : throw new InvalidOperationException($"Proxies:Networks: '{network}' is not a network in CIDR form (10.0.0.0/24)."));
        }
        return options;
    }
}
