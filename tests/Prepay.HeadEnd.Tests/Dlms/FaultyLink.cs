using System.Net;
using System.Net.Sockets;
using Prepay.Dlms;
using Prepay.Dlms.Wrapper;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>
/// A TCP relay between the head-end and a real DLMS server that passes the server's answers frame by frame until the
/// <c>n</c>-th, which it replaces with a malformed APDU or swallows (the meter falls silent mid-session).
/// </summary>
internal sealed class FaultyLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _relay;

    public FaultyLink(int serverPort, int faultyAnswer, bool swallow)
    {
        _listener.Start();
        _relay = RelayAsync(serverPort, faultyAnswer, swallow, _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task RelayAsync(int serverPort, int faultyAnswer, bool swallow, CancellationToken ct)
    {
        try
        {
            using var client = await _listener.AcceptTcpClientAsync(ct);
            using var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, serverPort, ct);
            var upstream = client.GetStream().CopyToAsync(server.GetStream(), ct);
            var reader = new WrapperFrameReader(server.GetStream());
            for (int answer = 1; ; answer++)
            {
                var frame = await reader.ReadAsync(ct);
                if (frame is null)
                {
                    break;
                }
                if (answer == faultyAnswer && swallow)
                {
                    await upstream;
                    break;
                }
                var passed = answer == faultyAnswer ? frame with { Apdu = Octets.FromHex("FF0102") } : frame;
                await client.GetStream().WriteAsync(passed.Encode(), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The test is over or the head-end hung up.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _relay;
        _stop.Dispose();
    }
}
