using System.Net.Sockets;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;
using Prepay.Dlms.Wrapper;

namespace Prepay.Meter.Dlms;

/// <summary>
/// The virtual meter pushing unasked, as a push setup object does (Blue Book class 40): a Data-Notification whose
/// body is the push_object_list's values { meter number (visible-string), active import Wh (double-long-unsigned),
/// credit Wh (double-long) }, stamped with the meter's time, sent over a new TCP connection in one wrapper frame.
/// With keys it is general-glo-ciphered (Green Book: authenticated encryption, the sender's system title carried,
/// the counter reserved before the frame leaves), without them plain.
/// </summary>
public sealed class DlmsMeterPush
{
    /// <summary>The wPort pushes are addressed to; receivers here do not depend on it.</summary>
    public const ushort PushClientWPort = 102;

    private readonly DlmsMeter _meter;
    private readonly Octets _systemTitle;
    private readonly SecuritySuite0? _suite;
    private readonly IInvocationCounterStore _counter;
    private uint _nextInvokeId = 1;

    public DlmsMeterPush(DlmsMeter meter, Octets systemTitle, SecuritySuite0? suite = null, IInvocationCounterStore? counter = null)
    {
        _meter = meter ?? throw new ArgumentNullException(nameof(meter));
        _systemTitle = systemTitle;
        _suite = suite;
        _counter = counter ?? new MemoryInvocationCounter();
    }

    /// <summary>The notification the meter would push now, plain.</summary>
    public DataNotification Notification()
    {
        lock (_meter.Gate)
        {
            var firmware = _meter.Meter;
            var body = CosemValues.Structure(
                new VisibleString(firmware.MeterId),
                new DoubleLongUnsigned((uint)Math.Clamp(firmware.EnergyWh, 0, uint.MaxValue)),
                new DoubleLong((int)Math.Clamp(firmware.CreditWh, int.MinValue, int.MaxValue)));
            return new DataNotification(_nextInvokeId++, CosemDateTime.From(firmware.Now.WithOffset(Offset.Zero)), body);
        }
    }

    /// <summary>The bytes of one pushed APDU: plain, or general-glo-ciphered when the sender holds keys.</summary>
    public byte[] NextApdu()
    {
        var plain = Notification().Encode();
        if (_suite is null)
        {
            return plain;
        }
        var ciphered = _suite.Protect(0xDB, SecurityControl.AuthenticatedEncryption, _systemTitle.Span, _counter.Reserve(), plain);
        return new GeneralGloCiphering(_systemTitle, ciphered.Control, ciphered.InvocationCounter, ciphered.Payload).Encode();
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>, pushes <paramref name="count"/> notifications, closes.</summary>
    public async Task PushAsync(string host, int port, int count = 1, CancellationToken cancellationToken = default)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        var stream = tcp.GetStream();
        for (int i = 0; i < count; i++)
        {
            var frame = new WrapperFrame(1, PushClientWPort, new Octets(NextApdu()));
            await stream.WriteAsync(frame.Encode(), cancellationToken).ConfigureAwait(false);
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        tcp.Client.Shutdown(SocketShutdown.Send);
    }
}
