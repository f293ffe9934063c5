using System.Net;
using System.Net.Sockets;
using Prepay.Dlms;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Client;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;
using Prepay.Dlms.Server;
using Prepay.Meter.Dlms;

namespace Prepay.Meter.Tests.Dlms;

/// <summary>The virtual meter served as <c>prepay meter dlms</c> serves it: counters in files, probes, one client after another.</summary>
public sealed class DlmsMeterServingTests : IDisposable
{
    private static readonly byte[] Ek = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] Ak = Convert.FromHexString("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    private static readonly Octets MeterTitle = Octets.FromHex("5052455041590001");
    private static readonly CosemAttributeDescriptor Energy = new(3, DlmsMeter.EnergyName, 2);
    private readonly string _state = Directory.CreateTempSubdirectory("dlms-meter-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DlmsServer Serve(DlmsMeter dlms, SecuritySuite0 suite) => new(new DlmsServerOptions
    {
        Objects = dlms.Objects,
        PublicObjects = DlmsMeter.PublicObjects,
        Suite = suite,
        SystemTitle = MeterTitle,
        OutgoingCounter = new FileInvocationCounter(Path.Combine(_state, "invocation-counter"), 64),
        ReceivedCounters = new FileReceivedCounters(Path.Combine(_state, "received-counters"), 16),
    }, new IPEndPoint(IPAddress.Loopback, 0));

    [Fact]
    public async Task After_a_probe_it_serves_clients_in_turn_and_a_restart_on_the_same_state_refuses_what_it_accepted_before()
    {
        var dlms = new DlmsMeter(TestMeters.Constant(1000, creditWh: 5000));
        using var suite = new SecuritySuite0(Ek, Ak);
        var counter = new MemoryInvocationCounter();
        var options = new DlmsClientOptions
        {
            ClientAddress = 1, Mechanism = AuthenticationMechanism.HighGmac, Suite = suite, SystemTitle = Octets.FromHex("4142434445464748"), OutgoingCounter = counter,
        };
        await using (var server = Serve(dlms, suite))
        {
            server.Start();
            using (var probe = new TcpClient())
            {
                await probe.ConnectAsync(IPAddress.Loopback, server.Port, Ct);
            }
            for (int i = 0; i < 3; i++)
            {
                await using var client = await DlmsClient.ConnectAsync("127.0.0.1", server.Port, options, Ct);
                await client.AssociateAsync(Ct);
                Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result);
                var setup = await client.GetAsync(new CosemAttributeDescriptor(64, SecuritySetup.NameOf(0), 5), cancellationToken: Ct);
                Assert.Equal(new OctetString(MeterTitle), setup.Value);
                await client.ReleaseAsync(Ct);
            }
            Assert.Equal(16u, await CounterResynchronisation.ReadServerCounterAsync("127.0.0.1", server.Port, cancellationToken: Ct)); // 3 × 5 counters used
        }

        // The same state, as after a kill -9: the block of 16 reserved at the first AARQ is held as used.
        await using (var restarted = Serve(dlms, suite))
        {
            restarted.Start();
            Assert.Equal(17u, await CounterResynchronisation.ReadServerCounterAsync("127.0.0.1", restarted.Port, cancellationToken: Ct));
            await using var client = await CounterResynchronisation.ConnectAndAssociateAsync("127.0.0.1", restarted.Port, options, Ct);
            Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result);
        }
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
