using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Prepay.Dlms;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Security;
using Prepay.Dlms.Wrapper;
using Prepay.HeadEnd.Dlms;
using Prepay.Meter.Dlms;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>Data-Notifications pushed by virtual meters over TCP, plain and glo-ciphered, reach the callback typed.</summary>
public sealed class DlmsPushListenerTests
{
    private static readonly Octets MeterTitle = Octets.FromHex("50524D0000000201");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Channel<DlmsPushNotification> _received = Channel.CreateUnbounded<DlmsPushNotification>();
    private readonly Channel<DlmsPushRefusal> _dropped = Channel.CreateUnbounded<DlmsPushRefusal>();

    private DlmsPushListener Listen(bool acceptPlain = true)
    {
        var meter = Prepay.Domain.Metering.MeterNumber.Parse("04000000201");
        var listener = new DlmsPushListener(new IPEndPoint(IPAddress.Loopback, 0), new DlmsPushListenerOptions
        {
            Senders = (title, _) => ValueTask.FromResult<DlmsPushSender?>(title == MeterTitle ? new DlmsPushSender(meter, FixedKeys.Right.KeysFor(meter)!) : null),
            AcceptPlain = acceptPlain,
        }, (notification, ct) => _received.Writer.WriteAsync(notification, ct));
        listener.Dropped += refusal => _dropped.Writer.TryWrite(refusal);
        listener.Start();
        return listener;
    }

    [Fact]
    public async Task A_ciphered_push_arrives_with_its_meter_time_and_values()
    {
        await using var listener = Listen();
        await using var meter = VirtualDlmsMeter.Serve("04000000201");
        using var suite = new SecuritySuite0(VirtualDlmsMeter.BlockCipherKey, VirtualDlmsMeter.AuthenticationKey);
        var sender = new DlmsMeterPush(meter.Dlms, MeterTitle, suite);

        await sender.PushAsync("127.0.0.1", listener.Port, count: 2, Ct);

        for (int i = 1; i <= 2; i++)
        {
            var pushed = await _received.Reader.ReadAsync(Ct);
            Assert.True(pushed.Ciphered);
            Assert.Equal(meter.Number, pushed.Meter);
            Assert.Equal((uint)i, pushed.LongInvokeIdAndPriority);
            Assert.Equal(meter.Firmware.Now, pushed.Stamped);
            Assert.Equal<DlmsValue>([new VisibleString("04000000201"), new DoubleLongUnsigned((uint)meter.Firmware.EnergyWh), new DoubleLong((int)meter.Firmware.CreditWh)],
                pushed.Values);
        }
        Assert.Equal(0, listener.Refused);
    }

    [Fact]
    public async Task A_plain_push_arrives_without_a_meter_unless_plain_pushes_are_refused()
    {
        await using var meter = VirtualDlmsMeter.Serve("04000000202");
        var sender = new DlmsMeterPush(meter.Dlms, MeterTitle);
        await using (var listener = Listen())
        {
            await sender.PushAsync("127.0.0.1", listener.Port, cancellationToken: Ct);
            var pushed = await _received.Reader.ReadAsync(Ct);
            Assert.False(pushed.Ciphered);
            Assert.Null(pushed.Meter);
            Assert.Equal(new VisibleString("04000000202"), pushed.Values[0]);
        }
        await using (var strict = Listen(acceptPlain: false))
        {
            await sender.PushAsync("127.0.0.1", strict.Port, cancellationToken: Ct);
            Assert.Equal(DlmsPushRefusal.PlainRefused, await _dropped.Reader.ReadAsync(Ct));
        }
    }

    [Fact]
    public async Task A_replayed_a_forged_and_an_unknown_push_are_dropped_and_the_connection_goes_on()
    {
        await using var listener = Listen();
        await using var meter = VirtualDlmsMeter.Serve("04000000201");
        using var suite = new SecuritySuite0(VirtualDlmsMeter.BlockCipherKey, VirtualDlmsMeter.AuthenticationKey);
        using var wrongSuite = new SecuritySuite0(new byte[16], VirtualDlmsMeter.AuthenticationKey);
        var genuine = new DlmsMeterPush(meter.Dlms, MeterTitle, suite).NextApdu();
        var forged = new DlmsMeterPush(meter.Dlms, MeterTitle, wrongSuite, new MemoryInvocationCounter(100)).NextApdu();
        var stranger = new DlmsMeterPush(meter.Dlms, Octets.FromHex("5858580000000001"), suite).NextApdu();
        var later = new DlmsMeterPush(meter.Dlms, MeterTitle, suite, new MemoryInvocationCounter(5)).NextApdu();

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, listener.Port, Ct);
        foreach (var apdu in new[] { genuine, genuine, forged, stranger, Octets.FromHex("0F00").ToArray(), later })
        {
            await tcp.GetStream().WriteAsync(new WrapperFrame(1, DlmsMeterPush.PushClientWPort, new Octets(apdu)).Encode(), Ct);
        }

        Assert.Equal(1u, (await _received.Reader.ReadAsync(Ct)).LongInvokeIdAndPriority);
        Assert.Equal(DlmsPushRefusal.Replayed, await _dropped.Reader.ReadAsync(Ct));
        Assert.Equal(DlmsPushRefusal.AuthenticationFailed, await _dropped.Reader.ReadAsync(Ct));
        Assert.Equal(DlmsPushRefusal.UnknownSender, await _dropped.Reader.ReadAsync(Ct));
        Assert.Equal(DlmsPushRefusal.Malformed, await _dropped.Reader.ReadAsync(Ct));
        var last = await _received.Reader.ReadAsync(Ct);
        Assert.Equal(meter.Number, last.Meter);
        Assert.Equal((2L, 4L), (listener.Accepted, listener.Refused));
    }
}
