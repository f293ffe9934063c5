using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Client;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Tests.Server;

/// <summary>The security setup and its invocation counter as a client sees them, and a client resynchronising.</summary>
public sealed class SecurityObjectsTests
{
    private static readonly Octets ClientTitle = Octets.FromHex("4142434445464748");
    private static readonly CosemAttributeDescriptor Energy = new(3, LoopbackMeter.EnergyName, 2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DlmsClientOptions Hls(SecuritySuite0 suite, IInvocationCounterStore counter) => new()
    {
        ClientAddress = 1,
        Mechanism = AuthenticationMechanism.HighGmac,
        Suite = suite,
        SystemTitle = ClientTitle,
        OutgoingCounter = counter,
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task The_management_association_lists_and_reads_its_security_setup_with_policy_suite_and_both_titles()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite, new MemoryInvocationCounter()), Ct);
        await client.AssociateAsync(Ct);

        var list = (await client.GetAsync(new CosemAttributeDescriptor(15, AssociationLn.CurrentAssociation, 2), cancellationToken: Ct)).Value;
        var names = Assert.IsType<DlmsArray>(list).Items.Select(e => ((DlmsStructure)e).Fields).Select(i => (((LongUnsigned)i[0]).Value, ((OctetString)i[2]).Value)).ToList();
        Assert.Contains(((ushort)64, new Octets(SecuritySetup.NameOf(0).ToBytes())), names);
        Assert.Contains(((ushort)1, new Octets(SecuritySetup.InvocationCounterOf(0).ToBytes())), names);

        var setup = SecuritySetup.NameOf(0);
        Assert.Equal(new DlmsEnum((byte)SecurityPolicy.AllMessagesAuthenticatedAndEncrypted), (await client.GetAsync(new(64, setup, 2), cancellationToken: Ct)).Value);
        Assert.Equal(new DlmsEnum(0), (await client.GetAsync(new(64, setup, 3), cancellationToken: Ct)).Value);
        Assert.Equal(new OctetString(ClientTitle), (await client.GetAsync(new(64, setup, 4), cancellationToken: Ct)).Value);
        Assert.Equal(new OctetString(LoopbackMeter.ServerTitle), (await client.GetAsync(new(64, setup, 5), cancellationToken: Ct)).Value);
    }

    [Fact]
    public async Task The_public_client_reads_the_lowest_counter_the_meter_accepts_next()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        Assert.Equal(1u, await CounterResynchronisation.ReadServerCounterAsync("127.0.0.1", meter.Port, cancellationToken: Ct));

        await using (var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite, new MemoryInvocationCounter(100)), Ct))
        {
            await client.AssociateAsync(Ct); // 100 glo-initiate, 101 f(StoC), 102 the HLS reply
            Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result); // 103
        }
        Assert.Equal(104u, await CounterResynchronisation.ReadServerCounterAsync("127.0.0.1", meter.Port, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_client_behind_the_meter_resynchronises_from_the_counter_object_and_a_wrong_key_stays_refused()
    {
        string directory = Directory.CreateTempSubdirectory("dlms-resync-").FullName;
        try
        {
            // The meter reserved a block of 16 received counters and crashed: it now holds 1..16 as used.
            var before = new FileReceivedCounters(Path.Combine(directory, "rc"), reserveAhead: 16);
            Assert.True(before.TryAccept(ClientTitle, 1));
            await using var meter = new LoopbackMeter(keys: true, received: new FileReceivedCounters(Path.Combine(directory, "rc"), reserveAhead: 16));
            using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);

            var counter = new MemoryInvocationCounter(2);
            await using (var client = await CounterResynchronisation.ConnectAndAssociateAsync("127.0.0.1", meter.Port, Hls(suite, counter), Ct))
            {
                Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result);
            }
            Assert.True(counter.Reserve() > 17);

            // One short: the refused attempt itself brings the counter to what the meter expects; it must still retry.
            var reserved = new FileReceivedCounters(Path.Combine(directory, "rc2"), reserveAhead: 16);
            Assert.True(reserved.TryAccept(ClientTitle, 1));
            await using (var restarted = new LoopbackMeter(keys: true, received: new FileReceivedCounters(Path.Combine(directory, "rc2"), reserveAhead: 16)))
            await using (var client = await CounterResynchronisation.ConnectAndAssociateAsync("127.0.0.1", restarted.Port, Hls(suite, new MemoryInvocationCounter(16)), Ct))
            {
                Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result);
            }

            using var wrong = new SecuritySuite0(LoopbackMeter.BlockCipherKey, new byte[16]);
            var refused = await Assert.ThrowsAsync<DlmsAssociationRefusedException>(
                () => CounterResynchronisation.ConnectAndAssociateAsync("127.0.0.1", meter.Port, Hls(wrong, new MemoryInvocationCounter(1000)), Ct));
            Assert.Equal(AssociateDiagnostic.AuthenticationFailure, refused.Diagnostic);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
