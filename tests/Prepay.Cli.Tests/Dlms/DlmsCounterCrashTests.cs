using System.Globalization;
using System.Net.Sockets;
using Prepay.Dlms;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Client;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Security;
using Prepay.Dlms.Wrapper;

namespace Prepay.Cli.Tests.Dlms;

/// <summary>
/// Invocation counters survive a kill -9 of either side: <c>prepay meter dlms</c> and <c>prepay dlms read</c> run as
/// processes, an in-process client keeps its counter in a file, and a relay between them records every counter on
/// the wire. After every kill and restart the reads succeed, no (system title, counter) pair is ever seen twice,
/// and a frame captured before the meter's crash is refused when replayed after it.
/// </summary>
public sealed class DlmsCounterCrashTests : IDisposable
{
    private const string Ek = "000102030405060708090A0B0C0D0E0F";
    private const string Ak = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF";
    private const string MeterTitle = "5052455041590001";
    private const string ReaderTitle = "4142434445464748"; // the prepay dlms read process
    private static readonly Octets LibraryTitle = Octets.FromHex("4C49425241525931"); // the in-process client
    private static readonly CosemAttributeDescriptor Energy = new(3, new ObisCode(1, 0, 1, 8, 0, 255), 2);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private readonly string _directory = Directory.CreateTempSubdirectory("dlms-crash-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string State => Path.Combine(_directory, "meter");

    private string ReaderCounter => Path.Combine(_directory, "reader-counter");

    [Fact]
    public async Task Counters_survive_a_kill_of_either_side_and_no_value_is_used_twice_on_the_wire()
    {
        using var suite = new SecuritySuite0(Convert.FromHexString(Ek), Convert.FromHexString(Ak));
        await using var relay = new WireRelay(suite);
        var meter = await StartMeterAsync(relay);
        try
        {
            // 1. The reader process and the in-process client each read through the relay.
            await ReadAsync(relay);
            var library = new DlmsClientOptions
            {
                ClientAddress = 1, Mechanism = AuthenticationMechanism.HighGmac, Suite = suite, SystemTitle = LibraryTitle,
                OutgoingCounter = new FileInvocationCounter(Path.Combine(_directory, "library-counter")), Timeout = Limit,
            };
            var session = await CounterResynchronisation.ConnectAndAssociateAsync("127.0.0.1", relay.Port, library, Ct);
            Assert.Equal(DataAccessResult.Success, (await session.GetAsync(Energy, cancellationToken: Ct)).Result);
            var aarqBeforeCrash = relay.ClientFrames.First(f => Apdu.Decode(WrapperFrame.Decode(f).Apdu.Span) is Aarq { CallingApTitle: { } t } && t == LibraryTitle);

            // 2. kill -9 the meter in the middle of that session; the session breaks.
            await meter.KillAsync();
            meter.Dispose();
            await Assert.ThrowsAnyAsync<Exception>(() => session.GetAsync(Energy, cancellationToken: Ct));
            await session.DisposeAsync();

            // 3. The meter restarts on the same state: its counter goes on above every value it used; the clients,
            //    now behind the block of counters it reserved, resynchronise from 0.0.43.1.0.255 and read again.
            meter = await StartMeterAsync(relay);
            await using (var again = await CounterResynchronisation.ConnectAndAssociateAsync("127.0.0.1", relay.Port, library, Ct))
            {
                Assert.Equal(DataAccessResult.Success, (await again.GetAsync(Energy, cancellationToken: Ct)).Result);
                await again.ReleaseAsync(Ct);
            }
            await ReadAsync(relay);

            // 4. A frame captured before the crash, replayed after it, is refused.
            Assert.Equal(AssociationResult.RejectedPermanent, (await ReplayAsync(relay.MeterPort, aarqBeforeCrash)).Result);

            // 5. kill -9 the reader while its GET is out (the meter's answer held back), then run it again.
            relay.HoldAfterClientCiphered = 2; // the HLS reply, then the GET
            using (var killed = new PrepayProcess(ReadArguments(relay)))
            {
                await relay.Held.Task.WaitAsync(Limit, Ct);
                await killed.KillAsync();
            }
            relay.ResetHold();
            await ReadAsync(relay);
        }
        finally
        {
            meter.Dispose();
        }

        var uses = relay.Uses.ToList();
        var doubled = uses.GroupBy(u => (u.SystemTitle, u.Counter)).Where(g => g.Count() > 1).Select(g => $"{g.Key.SystemTitle} {g.Key.Counter}: {string.Join(", ", g.Select(u => u.Where))}").ToList();
        Assert.True(doubled.Count == 0, "counters used twice: " + string.Join("; ", doubled));
        Assert.Contains(uses, u => u.SystemTitle == MeterTitle && u.Direction == WireDirection.MeterToClient);
        Assert.Contains(uses, u => u.SystemTitle == ReaderTitle && u.Direction == WireDirection.ClientToMeter);
        Assert.Contains(uses, u => u.SystemTitle == LibraryTitle.ToString() && u.Where == "HLS answer");
        Assert.True(uses.Count >= 40, $"only {uses.Count} counters seen");
    }

    private async Task<PrepayProcess> StartMeterAsync(WireRelay relay)
    {
        var meter = new PrepayProcess("meter", "dlms", "--port", "0", "--state", State, "--system-title", MeterTitle, "--block-cipher-key", Ek, "--auth-key", Ak);
        var line = await meter.LineAsync(l => l.StartsWith("DLMS meter on 127.0.0.1:", StringComparison.Ordinal)).WaitAsync(Limit, Ct);
        relay.MeterPort = int.Parse(line["DLMS meter on 127.0.0.1:".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
        return meter;
    }

    private string[] ReadArguments(WireRelay relay) =>
    [
        "dlms", "read", "--port", relay.Port.ToString(CultureInfo.InvariantCulture), "--obis", "1.0.1.8.0.255", "--client-address", "1",
        "--auth", "high-gmac", "--system-title", ReaderTitle, "--block-cipher-key", Ek, "--auth-key", Ak, "--counter-file", ReaderCounter,
    ];

    private async Task ReadAsync(WireRelay relay)
    {
        using var reader = new PrepayProcess(ReadArguments(relay));
        int exit = await reader.ExitAsync(Limit);
        Assert.True(exit == 0, $"prepay dlms read exited {exit}: {reader.Output}");
    }

    private static async Task<Aare> ReplayAsync(int port, byte[] frame)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, Ct);
        await tcp.GetStream().WriteAsync(frame, Ct);
        var answer = await new WrapperFrameReader(tcp.GetStream()).ReadAsync(Ct) ?? throw new IOException("The meter closed the connection.");
        return Assert.IsType<Aare>(Apdu.Decode(answer.Apdu.Span));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
