using System.Net;
using System.Net.Sockets;

namespace Prepay.Testing;

/// <summary>Ports for the servers the tests start on loopback.</summary>
public static class LoopbackPorts
{
    /// <summary>A port free on 127.0.0.1 a moment ago (the system picks it; another process could still take it first).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
