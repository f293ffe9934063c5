using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Prepay.Cli.Bench;

/// <summary>
/// The reference's connecting side: plain TCP sockets to a plain listener, opened like the meters' connections
/// (the same number in flight), each counted once the listener's one-byte greeting arrives, so that a connection
/// is established only when the server has accepted it, as a meter's is only at CONNACK.
/// </summary>
internal sealed class TcpConnectPeer(PeerPlan plan, TextWriter output)
{
    private readonly Socket?[] _sockets = new Socket?[plan.Count];
    private readonly Stopwatch _clock = new();
    private int _connected;
    private int _failed;
    private long _closedByPeer;
    private volatile bool _stopping;
    private volatile string? _lastError;

    public async Task RunAsync(CancellationToken stop)
    {
        _clock.Start();
        var connecting = Parallel.ForEachAsync(Enumerable.Range(0, plan.Count),
            new ParallelOptions { MaxDegreeOfParallelism = plan.Parallel, CancellationToken = stop },
            async (i, ct) => await ConnectAsync(i, ct));
        await ConnectionsPeer.ReportProgressAsync(connecting, () => PeerProtocol.Line(PeerProtocol.Progress, Progress()), output);
        try
        {
            await connecting;
        }
        catch (OperationCanceledException)
        {
        }
        await output.WriteLineAsync(PeerProtocol.Line(PeerProtocol.Ready, Progress()));
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
        var final = Status();
        _stopping = true;
        foreach (var s in _sockets)
        {
            s?.Dispose();
        }
        await output.WriteLineAsync(PeerProtocol.Line(PeerProtocol.Done, final));
    }

    private PeerProgress Progress() => new(Volatile.Read(ref _connected), Volatile.Read(ref _failed), ConnectionsPeer.Seconds(_clock), _lastError);

    private PeerStatus Status()
    {
        var closed = Interlocked.Read(ref _closedByPeer);
        return new PeerStatus((int)(Volatile.Read(ref _connected) - closed), 0, 0, 0, 0, closed, _lastError);
    }

    private async Task ConnectAsync(int i, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, plan.Port), ct);
            var greeting = new byte[1];
            if (await socket.ReceiveAsync(greeting, SocketFlags.None, ct) != 1)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
            _sockets[i] = socket;
            Interlocked.Increment(ref _connected);
            _ = Task.Run(() => WatchAsync(socket), CancellationToken.None);
        }
        catch (Exception e)
        {
            socket.Dispose();
            if (e is OperationCanceledException && ct.IsCancellationRequested)
            {
                throw;
            }
            Interlocked.Increment(ref _failed);
            _lastError = $"connection {i}: {e.GetType().Name}: {e.Message}";
        }
    }

    // A read that completes only when the listener closes the connection.
    private async Task WatchAsync(Socket socket)
    {
        try
        {
            _ = await socket.ReceiveAsync(new byte[1], SocketFlags.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        if (!_stopping)
        {
            Interlocked.Increment(ref _closedByPeer);
        }
    }
}

/// <summary>
/// The reference's listening side, in a process of its own so that its memory is its connections' alone: a plain
/// listener (backlog 100, as the broker's), one accept loop, a one-byte greeting to each connection and one read
/// kept pending on it, as the least any server holding a connection does.
/// </summary>
internal sealed class TcpListenPeer(TextWriter output)
{
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly Stopwatch _clock = new();
    private int _count;
    private long _closed;
    private volatile bool _stopping;

    public async Task RunAsync(CancellationToken stop)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(100);
        await output.WriteLineAsync(PeerProtocol.Line(PeerProtocol.Listening, ((IPEndPoint)listener.LocalEndPoint!).Port));
        var accepting = AcceptAsync(listener, stop);
        await ConnectionsPeer.ReportProgressAsync(accepting, () => PeerProtocol.Line(PeerProtocol.Progress,
            new PeerProgress(Volatile.Read(ref _count), 0, ConnectionsPeer.Seconds(_clock), null)), output);
        await accepting;
        var closed = Interlocked.Read(ref _closed);
        var final = new PeerStatus((int)(Volatile.Read(ref _count) - closed), 0, 0, 0, 0, closed, null);
        _stopping = true;
        foreach (var s in _accepted)
        {
            s.Dispose();
        }
        await output.WriteLineAsync(PeerProtocol.Line(PeerProtocol.Done, final));
    }

    private async Task AcceptAsync(Socket listener, CancellationToken stop)
    {
        var greeting = new byte[] { 1 };
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var socket = await listener.AcceptAsync(stop);
                _clock.Start();
                socket.NoDelay = true;
                _accepted.Add(socket);
                Interlocked.Increment(ref _count);
                _ = Task.Run(() => HoldAsync(socket, greeting), CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HoldAsync(Socket socket, byte[] greeting)
    {
        try
        {
            await socket.SendAsync(greeting, SocketFlags.None);
            _ = await socket.ReceiveAsync(new byte[1], SocketFlags.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        if (!_stopping)
        {
            Interlocked.Increment(ref _closed);
        }
    }
}
