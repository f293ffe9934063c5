using System.Net;
using System.Net.Sockets;

namespace Prepay.HeadEnd.Mqtt.Tls;

/// <summary>
/// Where plain (unencrypted) MQTT is accepted: from loopback only, unless <c>Mqtt:PlainBeyondLoopback</c> says
/// otherwise. Beyond loopback a password in the clear could be read off the wire and a command changed on the way,
/// so meters there come over TLS. Decided per connection from its remote address, whatever the listener is bound to.
/// </summary>
public static class PlainLink
{
    public static bool Allows(EndPoint? remote, bool secure, bool plainBeyondLoopback) =>
        secure || plainBeyondLoopback || (remote is IPEndPoint ip && IsLoopback(ip.Address));

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>
    /// The IPv4 and IPv6 addresses a listener for <paramref name="host"/> binds (<see cref="IPAddress.None"/>: not
    /// that family). Left alone, MQTTnet binds every IPv6 address beside the configured IPv4 one, so a "loopback"
    /// broker would be reachable over IPv6 from the network.
    /// </summary>
    public static (IPAddress V4, IPAddress V6) Bindings(IPAddress host)
    {
        var v6 = Socket.OSSupportsIPv6;
        return host switch
        {
            _ when host.Equals(IPAddress.Any) => (IPAddress.Any, v6 ? IPAddress.IPv6Any : IPAddress.None),
            _ when host.Equals(IPAddress.IPv6Any) => (IPAddress.Any, IPAddress.IPv6Any),
            { AddressFamily: AddressFamily.InterNetwork } when IPAddress.IsLoopback(host) => (host, v6 ? IPAddress.IPv6Loopback : IPAddress.None),
            { AddressFamily: AddressFamily.InterNetwork } => (host, IPAddress.None),
            _ => (IPAddress.None, host),
        };
    }
}
