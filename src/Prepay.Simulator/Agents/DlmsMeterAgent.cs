using System.Net;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Security;
using Prepay.Dlms.Server;
using Prepay.Meter;
using Prepay.Meter.Dlms;
using Prepay.Meter.Events;
using Prepay.Meter.Keypad;

namespace Prepay.Simulator.Agents;

/// <summary>
/// One <see cref="PrepaidMeter"/> as a DLMS/COSEM meter (<see cref="DlmsMeter"/>: clock, energy, disconnect control,
/// load profile, account, credit, token gateway) served over the TCP wrapper on its own loopback port, with HLS-GMAC
/// for the management client and its own system title. It publishes nothing: the head-end reads it on its schedule
/// and sends it tokens and relay operations, which the agent counts as they reach the firmware. Its link does not
/// drop (a DLMS meter's unreachable spells are the head-end's retries, tested on their own).
/// <para>
/// One listener per meter, on a port the system picks: a listening socket waiting in an async accept costs no
/// thread, so a few hundred of them cost a few hundred sockets and nothing while idle; each meter has its own
/// address as a field meter has, and the head-end's one-session-per-meter rule maps onto it directly. One shared
/// port would need one server routing several logical devices by wPort, which a one-device server does not do.
/// </para>
/// </summary>
public sealed class DlmsMeterAgent : IFleetAgent
{
    private readonly DlmsMeter _dlms;
    private readonly SecuritySuite0 _suite;
    private readonly DlmsServer _server;
    private long _eventsSeen;
    private long _tokensTyped;
    private long _creditAddedWh;
    private long _remoteCredits;
    private long _relayOpenings;
    private long _relayClosings;
    private bool _started;

    public DlmsMeterAgent(PrepaidMeter meter, DlmsFleetKeys keys)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(keys);
        _dlms = new DlmsMeter(meter);
        _dlms.RemoteOutputs += Record;
        _suite = keys.CreateSuite();
        SystemTitle = SystemTitleFor(meter.MeterId);
        _server = new DlmsServer(new DlmsServerOptions
        {
            Objects = _dlms.Objects,
            PublicObjects = DlmsMeter.PublicObjects,
            Suite = _suite,
            SystemTitle = SystemTitle,
        }, new IPEndPoint(IPAddress.Loopback, 0));
    }

    public string MeterNumber => _dlms.Meter.MeterId;

    /// <summary>The meter's system title (Green Book: 3 bytes of manufacturer, 5 of serial), as its endpoint names it.</summary>
    public Octets SystemTitle { get; }

    /// <summary>The meter as COSEM objects (a test pushes from it).</summary>
    public DlmsMeter Dlms => _dlms;

    /// <summary>The loopback port it serves on, once started.</summary>
    public int Port => _started ? _server.Port : throw new InvalidOperationException("The meter's DLMS server has not started.");

    /// <summary>Connections the head-end made to it so far.</summary>
    public int SessionsServed => _server.ConnectionsServed;

    public bool IsOnline => _started;

    public long ReadingsSent => 0;

    /// <summary>Events the firmware raised (the head-end sees them as changes of state when it reads).</summary>
    public long EventsSent => Interlocked.Read(ref _eventsSeen);

    public long TokensTyped => Interlocked.Read(ref _tokensTyped);

    public long CreditAddedWh => Interlocked.Read(ref _creditAddedWh);

    /// <summary>Credit tokens the head-end entered through the token gateway and the decoder accepted.</summary>
    public long AddCreditsApplied => Interlocked.Read(ref _remoteCredits);

    public long RelayOpenings => Interlocked.Read(ref _relayOpenings);

    public long RelayClosings => Interlocked.Read(ref _relayClosings);

    public long LinkDrops => 0;

    /// <summary>
    /// "PRM" and the meter number as a 5-byte big-endian integer (numbers of up to 12 digits, and 13-digit ones below
    /// 2^40, such as the 0400… decoder references); any other number gets five bytes of its SHA-256 instead. Distinct
    /// numbers below 2^40 get distinct titles, which a fleet needs: the head-end knows a meter's pushes by its title.
    /// </summary>
    public static Octets SystemTitleFor(string meterNumber)
    {
        ArgumentNullException.ThrowIfNull(meterNumber);
        Span<byte> serial = stackalloc byte[8];
        if (meterNumber.Length is > 0 and <= 13 && meterNumber.All(char.IsAsciiDigit)
            && ulong.TryParse(meterNumber, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value < 1UL << 40)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(serial, value);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(meterNumber)).AsSpan(0, 5).CopyTo(serial[3..]);
        }
        return new Octets([0x50, 0x52, 0x4D, .. serial[3..]]);
    }

    /// <summary>Starts listening (once); later calls do nothing.</summary>
    public Task ConnectAsync(CancellationToken ct = default)
    {
        lock (_dlms.Gate)
        {
            if (!_started)
            {
                _server.Start();
                _started = true;
            }
        }
        return Task.CompletedTask;
    }

    public Task DropLinkAsync(CancellationToken ct = default) => Task.CompletedTask;

    public Task AdvanceAsync(Instant to, CancellationToken ct = default)
    {
        IReadOnlyList<MeterOutput> outputs;
        lock (_dlms.Gate)
        {
            var by = to - _dlms.Meter.Now;
            outputs = by > Duration.Zero ? _dlms.Advance(by) : [];
            Record(outputs);
        }
        return Task.CompletedTask;
    }

    public Task<T> ReadAsync<T>(Func<PrepaidMeter, T> read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_dlms.Gate)
        {
            return Task.FromResult(read(_dlms.Meter));
        }
    }

    public Task<IReadOnlyList<MeterOutput>> TypeTokenAsync(string digits, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _tokensTyped);
        lock (_dlms.Gate)
        {
            var outputs = _dlms.Meter.EnterToken(digits);
            Record(outputs);
            return Task.FromResult(outputs);
        }
    }

    public Task FlushAsync(CancellationToken ct = default) => Task.CompletedTask;

    // Under the gate: the fleet's steps and the head-end's requests both land here.
    private void Record(IReadOnlyList<MeterOutput> outputs)
    {
        foreach (var output in outputs)
        {
            switch (output)
            {
                case Reading:
                    break;
                case TokenAccepted t:
                    Interlocked.Add(ref _creditAddedWh, t.TokenWh);
                    if (t.Via == TokenSource.Remote && t.TokenWh > 0)
                    {
                        Interlocked.Increment(ref _remoteCredits);
                    }
                    Interlocked.Increment(ref _eventsSeen);
                    break;
                case RelayOpened:
                    Interlocked.Increment(ref _relayOpenings);
                    Interlocked.Increment(ref _eventsSeen);
                    break;
                case RelayClosed:
                    Interlocked.Increment(ref _relayClosings);
                    Interlocked.Increment(ref _eventsSeen);
                    break;
                case Prepay.Meter.Commands.CommandAck:
                    break;
                default:
                    Interlocked.Increment(ref _eventsSeen);
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _dlms.RemoteOutputs -= Record;
        await _server.DisposeAsync();
        _suite.Dispose();
    }
}
