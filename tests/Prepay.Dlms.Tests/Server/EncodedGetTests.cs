using NodaTime;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Client;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Tests.Server;

/// <summary>GET kept encoded: the blocks of a long answer joined into the value the tree get decodes, walked row by row.</summary>
public sealed class EncodedGetTests
{
    private static readonly CosemAttributeDescriptor Buffer = new(7, LoopbackMeter.ProfileName, 2);
    private static readonly byte[] Password = "12345678"u8.ToArray();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_profile_in_many_blocks_reads_encoded_as_the_same_rows_as_the_tree(bool ciphered)
    {
        await using var meter = new LoopbackMeter(password: Password, keys: ciphered, maxPdu: 128);
        for (int i = 0; i < 40; i++)
        {
            meter.Profile.Capture();
            meter.Clock.Advance(Duration.FromMinutes(15));
            meter.EnergyWh += 10 + (uint)i;
        }
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Options(ciphered ? suite : null), Ct);
        await client.AssociateAsync(Ct);

        var tree = await client.GetAsync(Buffer, cancellationToken: Ct);
        var treeRows = Assert.IsType<DlmsArray>(tree.Value).Items
            .Select(r => (DlmsStructure)r)
            .Select(r => (CosemDateTime.FromOctets(((OctetString)r.Fields[0]).Value.Span).ToInstant(), (ulong?)((DoubleLongUnsigned)r.Fields[1]).Value))
            .ToList();
        using var encoded = await client.GetEncodedAsync(Buffer, cancellationToken: Ct);

        Assert.Equal(DataAccessResult.Success, encoded.Result);
        Assert.True(encoded.Data.Length > 128 * 4, "the profile is longer than several APDUs, so it came in blocks");
        Assert.Equal(tree.Value!.Encode(), encoded.Data.ToArray());
        Assert.Equal(40, treeRows.Count);
        Assert.Equal(treeRows, Walk(encoded.Data));
    }

    [Fact]
    public async Task A_refused_get_has_its_result_and_no_data_and_a_disposed_read_gives_no_bytes()
    {
        await using var meter = new LoopbackMeter(password: Password, maxPdu: 128);
        meter.Profile.Capture();
        // The server serves one connection at a time: the public client's is closed before the next.
        await using (var publicClient = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, new DlmsClientOptions(), Ct))
        {
            await publicClient.AssociateAsync(Ct);
            using var refused = await publicClient.GetEncodedAsync(Buffer, cancellationToken: Ct);
            var treeRefused = await publicClient.GetAsync(Buffer, cancellationToken: Ct);

            Assert.Equal(DataAccessResult.ReadWriteDenied, refused.Result);
            Assert.Equal(treeRefused.Result, refused.Result);
            Assert.True(refused.Data.IsEmpty);
            await publicClient.ReleaseAsync(Ct);
        }

        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Options(null), Ct);
        await client.AssociateAsync(Ct);
        var read = await client.GetEncodedAsync(Buffer, cancellationToken: Ct);
        Assert.Single(Walk(read.Data));
        read.Dispose();
        Assert.Throws<ObjectDisposedException>(() => read.Data.Length);
    }

    private static List<(Instant?, ulong?)> Walk(ReadOnlySpan<byte> data)
    {
        var rows = new ProfileRowReader(data);
        var walked = new List<(Instant?, ulong?)>();
        while (rows.MoveNextRow())
        {
            walked.Add((rows.ReadInstant(), rows.ReadUnsigned()));
        }
        return walked;
    }

    private static DlmsClientOptions Options(SecuritySuite0? suite) => suite is null
        ? new DlmsClientOptions { ClientAddress = 1, Mechanism = AuthenticationMechanism.Low, Password = Password, MaxReceivePduSize = 128, Timeout = TimeSpan.FromSeconds(20) }
        : new DlmsClientOptions
        {
            ClientAddress = 1,
            Mechanism = AuthenticationMechanism.HighGmac,
            Suite = suite,
            SystemTitle = Octets.FromHex("4142434445464748"),
            OutgoingCounter = new MemoryInvocationCounter(),
            MaxReceivePduSize = 128,
            Timeout = TimeSpan.FromSeconds(20),
        };
}
