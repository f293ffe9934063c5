using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Prepay.Dlms;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Security;
using Prepay.Dlms.Wrapper;

namespace Prepay.Cli.Tests.Dlms;

/// <summary>Which way a frame went through the relay.</summary>
internal enum WireDirection
{
    ClientToMeter,
    MeterToClient,
}

/// <summary>One invocation counter seen on the wire: who used it (system title) and which way it went.</summary>
internal sealed record CounterUse(WireDirection Direction, string SystemTitle, uint Counter, string Where);

/// <summary>
/// A TCP relay between DLMS clients and a meter that reads every wrapper frame both ways and records each
/// invocation counter used: the security header of every ciphered APDU, the glo-initiate-request in an AARQ and
/// the glo-initiate-response in an AARE, and (deciphered with the test's keys) the counters inside the HLS
/// answers f(StoC) and f(CtoS). Glo-APDUs carry no system title, so each connection remembers the client's title
/// from its AARQ and the meter's from its AARE. It can hold the meter's answers back once a client has sent a
/// given number of ciphered APDUs on a connection, so that a test can kill the client while its request is out.
/// </summary>
internal sealed class WireRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SecuritySuite0 _suite;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly Lock _lock = new();

    public WireRelay(SecuritySuite0 suite)
    {
        _suite = suite;
        _listener.Start();
        _tasks.Add(Task.Run(AcceptLoopAsync));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The meter's port; a new connection goes to the port set at the time it arrives.</summary>
    public int MeterPort { get; set; }

    /// <summary>When set: after a client's Nth ciphered APDU on a connection, the meter's answers are swallowed.</summary>
    public int? HoldAfterClientCiphered { get; set; }

    /// <summary>Completes when an answer was held back.</summary>
    public TaskCompletionSource Held { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<CounterUse> Uses { get; } = new();

    /// <summary>Every frame the clients sent, in order, as it went on the wire (for replays).</summary>
    public ConcurrentQueue<byte[]> ClientFrames { get; } = new();

    public void ResetHold()
    {
        HoldAfterClientCiphered = null;
        Held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            lock (_lock)
            {
                _tasks.Add(Task.Run(() => RelayAsync(client)));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var meter = new TcpClient { NoDelay = true };
        try
        {
            await meter.ConnectAsync(IPAddress.Loopback, MeterPort, _stop.Token);
        }
        catch (SocketException)
        {
            return; // the meter is down: the client sees its connection closed
        }
        var connection = new ConnectionState();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var up = PumpAsync(client.GetStream(), meter.GetStream(), WireDirection.ClientToMeter, connection, ended);
        var down = PumpAsync(meter.GetStream(), client.GetStream(), WireDirection.MeterToClient, connection, ended);
        await Task.WhenAny(up, down);
        await ended.CancelAsync();
        client.Close();
        meter.Close();
        await Task.WhenAll(up, down);
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, WireDirection direction, ConnectionState connection, CancellationTokenSource ended)
    {
        var reader = new WrapperFrameReader(from);
        try
        {
            while (await reader.ReadAsync(ended.Token) is { } frame)
            {
                var bytes = frame.Encode();
                Record(direction, frame.Apdu, connection);
                if (direction == WireDirection.ClientToMeter)
                {
                    ClientFrames.Enqueue(bytes);
                }
                if (direction == WireDirection.MeterToClient && connection.Holding)
                {
                    Held.TrySetResult();
                    continue;
                }
                // Decided before the request goes on, so the meter's answer cannot overtake the decision.
                if (direction == WireDirection.ClientToMeter && HoldAfterClientCiphered is { } n && connection.ClientCiphered >= n)
                {
                    connection.Holding = true;
                }
                await to.WriteAsync(bytes, ended.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // one side went away (a killed process): the connection ends
        }
    }

    private void Record(WireDirection direction, Octets apdu, ConnectionState connection)
    {
        switch (Apdu.Decode(apdu.Span))
        {
            case Aarq { CallingApTitle: { } title, UserInformation: { } information }:
                connection.ClientTitle = title;
                Use(direction, title, (CipheredApdu)Apdu.Decode(information.Span), "glo-initiate-request");
                break;
            case Aare { RespondingApTitle: { } title, UserInformation: { } information } when Apdu.Decode(information.Span) is CipheredApdu ciphered:
                connection.MeterTitle = title;
                Use(direction, title, ciphered, "glo-initiate-response");
                break;
            case CipheredApdu ciphered:
                var title2 = direction == WireDirection.ClientToMeter ? connection.ClientTitle : connection.MeterTitle;
                if (title2 is not { } owner)
                {
                    throw new InvalidOperationException("A ciphered APDU before the association named its sender.");
                }
                if (direction == WireDirection.ClientToMeter)
                {
                    connection.ClientCiphered++;
                }
                Use(direction, owner, ciphered, "glo-APDU");
                RecordHlsAnswer(direction, owner, _suite.Unprotect(ciphered, owner.Span));
                break;
        }
    }

    // f(StoC) travels as the parameter of reply_to_HLS_authentication and f(CtoS) as its return value:
    // SC (0x10) || IC || GMAC tag, each IC reserved by its sender like any other.
    private void RecordHlsAnswer(WireDirection direction, Octets owner, byte[] plain)
    {
        var answer = Apdu.Decode(plain) switch
        {
            ActionRequestNormal { Method.MethodId: 1, Parameters: OctetString { Value.Length: 17 } p } => p.Value,
            ActionResponseNormal { Outcome.ReturnParameters: GetDataValue { Value: OctetString { Value.Length: 17 } r } } => r.Value,
            _ => (Octets?)null,
        };
        if (answer is { } a)
        {
            Uses.Enqueue(new CounterUse(direction, owner.ToString(), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(a.Span[1..5]), "HLS answer"));
        }
    }

    private void Use(WireDirection direction, Octets title, CipheredApdu ciphered, string where) =>
        Uses.Enqueue(new CounterUse(direction, title.ToString(), ciphered.InvocationCounter, where));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] tasks;
        lock (_lock)
        {
            tasks = [.. _tasks];
        }
        await Task.WhenAll(tasks);
        _stop.Dispose();
    }

    private sealed class ConnectionState
    {
        public Octets? ClientTitle { get; set; }

        public Octets? MeterTitle { get; set; }

        public int ClientCiphered { get; set; }

        private volatile bool _holding;

        public bool Holding
        {
            get => _holding;
            set => _holding = value;
        }
    }
}
