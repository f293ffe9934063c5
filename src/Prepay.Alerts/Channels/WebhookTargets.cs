using System.Net;
using System.Net.Sockets;

namespace Prepay.Alerts.Channels;

/// <summary>
/// Where a webhook may be sent: an integrator's server on the internet, not this server's own network. A webhook URL
/// is chosen by a member of staff and fetched by the server, so without this check it reaches what only the server
/// can reach (its loopback services, the private network, a cloud metadata endpoint at 169.254.169.254): OWASP ASVS
/// 5.0 V1.3 (server-side request forgery). The address is checked when the subscription is made and again on every
/// connection (<see cref="ConnectAsync"/>), so a name that later resolves elsewhere is refused too; redirects are not
/// followed (see <see cref="AlertsRegistration"/>).
/// </summary>
public static class WebhookTargets
{
    /// <summary>Why <paramref name="url"/> may not be a webhook, or null. Names are resolved now.</summary>
    public static async Task<string?> RefusalAsync(string? url, WebhookOptions options, CancellationToken ct)
    {
        if (url is not { Length: > 0 and <= 2000 } || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must be an absolute https URL, at most 2000 characters, without user name or password";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && !(options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return "must be an https URL";
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return "names a host that does not resolve";
        }
        return addresses.Length == 0 ? "names a host that does not resolve"
            : !options.AllowPrivateTargets && addresses.FirstOrDefault(IsPrivate) is { } inside ? $"resolves to {inside}, an address inside this server's network (loopback, private, link-local or metadata)"
            : null;
    }

    /// <summary>
    /// Loopback, unspecified, private (RFC 1918, unique local), shared (RFC 6598), link-local (which holds the cloud
    /// metadata address 169.254.169.254), multicast, broadcast, and IPv4 written as IPv6.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC;
        }
        var v4 = address.GetAddressBytes();
        return v4[0] is 0 or 10 or 127 || v4[0] >= 224
            || (v4[0] == 100 && (v4[1] & 0xC0) == 64)
            || (v4[0] == 169 && v4[1] == 254)
            || (v4[0] == 172 && (v4[1] & 0xF0) == 16)
            || (v4[0] == 192 && v4[1] == 168);
    }

    /// <summary>
    /// The webhooks' connection: resolves the host, refuses an address inside the network unless allowed, and
    /// connects to the address it checked (not to a second resolution that could differ).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, WebhookOptions options, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => options.AllowPrivateTargets || !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"Webhook host {host} resolves only to addresses inside this server's network; refused.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Where webhooks may go (section <c>Alerts:Webhooks</c>); both are for development and tests only.</summary>
public sealed class WebhookOptions
{
    /// <summary>Allow plain http URLs. Default false: https only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allow loopback, private and link-local addresses. Default false.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>
    /// How long a rotated-out secret keeps signing beside the new one, so that a receiver can switch secrets without
    /// refusing a delivery (<c>Alerts:Webhooks:SecretOverlap</c>). Zero to 30 days; default 24 hours.
    /// </summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    public string? Validate() =>
        SecretOverlap < TimeSpan.Zero || SecretOverlap > TimeSpan.FromDays(30) ? "Alerts:Webhooks:SecretOverlap must be 0 to 30 days" : null;
}
