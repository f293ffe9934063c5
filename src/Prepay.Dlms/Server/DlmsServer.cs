using System.Net;
using System.Net.Sockets;
using Prepay.Dlms.Wrapper;

namespace Prepay.Dlms.Server;

/// <summary>
/// A DLMS/COSEM server over the TCP wrapper (IEC 62056-47): accepts one connection at a time and serves its
/// associations until the client closes, then takes the next, as a meter with one communication port does. A
/// connection that sends nothing or garbage (a port probe) is dropped without harming the next one.
/// </summary>
public sealed class DlmsServer : IAsyncDisposable
{
    private readonly DlmsServerOptions _options;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public DlmsServer(DlmsServerOptions options, IPEndPoint endpoint)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _listener = new TcpListener(endpoint);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections served so far (probes included); a signal for tests and status pages.</summary>
    public int ConnectionsServed { get; private set; }

    public void Start()
    {
        _listener.Start();
        _loop = Task.Run(() => AcceptLoopAsync(_stop.Token));
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            using (client)
            {
                await ServeAsync(client, cancellationToken).ConfigureAwait(false);
            }
            ConnectionsServed++;
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var reader = new WrapperFrameReader(stream);
        var session = new ServerSession(_options);
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(_options.InactivityTimeout);
                var frame = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    return;
                }
                var reply = session.Handle(frame.SourceWPort, frame.Apdu.Span);
                if (reply is not null)
                {
                    var answer = new WrapperFrame(frame.DestinationWPort, frame.SourceWPort, Octets.Own(reply));
                    await stream.WriteAsync(answer.Encode(), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is DlmsFormatException or IOException or OperationCanceledException or SocketException)
        {
            // A broken frame, a reset or silence ends this connection only; the next one is served afresh.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
