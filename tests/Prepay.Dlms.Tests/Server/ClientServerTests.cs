using System.Net.Sockets;
using NodaTime;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Client;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;
using static Prepay.Dlms.Cosem.Classes.CosemValues;

namespace Prepay.Dlms.Tests.Server;

public sealed class ClientServerTests
{
    private static readonly CosemAttributeDescriptor Energy = new(3, LoopbackMeter.EnergyName, 2);
    private static readonly CosemAttributeDescriptor Note = new(1, LoopbackMeter.NoteName, 2);
    private static readonly CosemMethodDescriptor Disconnect = new(70, DisconnectControl.StandardName, 1);
    private static readonly CosemMethodDescriptor EnterToken = new(115, TokenGateway.StandardName, 1);
    private static readonly Octets ClientTitle = Octets.FromHex("4142434445464748");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DlmsClientOptions Hls(SecuritySuite0 suite, IInvocationCounterStore? counter = null, ushort maxPdu = 1024) => new()
    {
        ClientAddress = 1,
        Mechanism = AuthenticationMechanism.HighGmac,
        Suite = suite,
        SystemTitle = ClientTitle,
        OutgoingCounter = counter ?? new MemoryInvocationCounter(),
        MaxReceivePduSize = maxPdu,
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task The_public_client_reads_clock_and_energy_without_security_and_nothing_more()
    {
        await using var meter = new LoopbackMeter(keys: true);
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, new DlmsClientOptions(), Ct);
        await client.AssociateAsync(Ct);

        Assert.Equal(new DoubleLongUnsigned(1234), (await client.GetAsync(Energy, cancellationToken: Ct)).Value);
        Assert.Equal(Structure(new Integer(0), new DlmsEnum(30)), (await client.GetAsync(Energy with { AttributeId = 3 }, cancellationToken: Ct)).Value);
        var time = await client.GetAsync(new CosemAttributeDescriptor(8, Clock.StandardName, 2), cancellationToken: Ct);
        Assert.Equal(DateTime(CosemDateTime.From(meter.Clock.GetCurrentInstant().WithOffset(Offset.Zero))), time.Value);
        Assert.Equal(DataAccessResult.ReadWriteDenied, (await client.GetAsync(Note, cancellationToken: Ct)).Result);
        Assert.Equal(DataAccessResult.ReadWriteDenied, await client.SetAsync(Energy, new DoubleLongUnsigned(0), Ct));
        Assert.Equal(ActionResult.ReadWriteDenied, (await client.ActionAsync(Disconnect, new Integer(0), Ct)).Result);
        Assert.True(meter.Relay.Connected);
        Assert.Equal(DataAccessResult.ObjectUndefined, (await client.GetAsync(new CosemAttributeDescriptor(3, new ObisCode(1, 0, 2, 8, 0, 255), 2), cancellationToken: Ct)).Result);
    }

    [Fact]
    public async Task The_management_client_with_the_password_operates_the_meter_and_a_wrong_one_is_refused()
    {
        await using var meter = new LoopbackMeter(password: "12345678"u8.ToArray());
        await using (var wrong = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port,
            new DlmsClientOptions { ClientAddress = 1, Mechanism = AuthenticationMechanism.Low, Password = "00000000"u8.ToArray() }, Ct))
        {
            var refused = await Assert.ThrowsAsync<DlmsAssociationRefusedException>(() => wrong.AssociateAsync(Ct));
            Assert.Equal(AssociateDiagnostic.AuthenticationFailure, refused.Diagnostic);
        }
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port,
            new DlmsClientOptions { ClientAddress = 1, Mechanism = AuthenticationMechanism.Low, Password = "12345678"u8.ToArray() }, Ct);
        await client.AssociateAsync(Ct);

        Assert.Equal(ActionResult.Success, (await client.ActionAsync(Disconnect, new Integer(0), Ct)).Result);
        Assert.False(meter.Relay.Connected);
        Assert.Equal(DataAccessResult.Success, await client.SetAsync(Note, new OctetString(new Octets("hello"u8)), Ct));
        Assert.Equal(new OctetString(new Octets("hello"u8)), (await client.GetAsync(Note, cancellationToken: Ct)).Value);
        await client.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task The_management_client_without_a_mechanism_is_told_one_is_required()
    {
        await using var meter = new LoopbackMeter(password: "12345678"u8.ToArray());
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, new DlmsClientOptions { ClientAddress = 1 }, Ct);

        var refused = await Assert.ThrowsAsync<DlmsAssociationRefusedException>(() => client.AssociateAsync(Ct));
        Assert.Equal(new AssociateDiagnostic(DiagnosticSource.ServiceUser, 12), refused.Diagnostic);
    }

    [Fact]
    public async Task Hls_gmac_associates_and_every_service_runs_ciphered()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite), Ct);
        await client.AssociateAsync(Ct);

        Assert.True(client.Ciphered);
        Assert.Equal(new DoubleLongUnsigned(1234), (await client.GetAsync(Energy, cancellationToken: Ct)).Value);
        Assert.Equal(ActionResult.Success, (await client.ActionAsync(Disconnect, new Integer(0), Ct)).Result);
        Assert.False(meter.Relay.Connected);
        var token = new OctetString(new Octets("56664303348140580937"u8));
        Assert.Equal(ActionResult.Success, (await client.ActionAsync(EnterToken, token, Ct)).Result);
        Assert.Equal([token.Value], meter.Tokens);
        var status = await client.GetAsync(new CosemAttributeDescriptor(15, AssociationLn.CurrentAssociation, 8), cancellationToken: Ct);
        Assert.Equal(new DlmsEnum((byte)AssociationStatus.Associated), status.Value);
        Assert.NotNull(meter.Received.LastAccepted(ClientTitle));
        await client.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_at_association()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using var wrongAuthentication = new SecuritySuite0(LoopbackMeter.BlockCipherKey, new byte[16]);
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(wrongAuthentication), Ct);

        var refused = await Assert.ThrowsAsync<DlmsAssociationRefusedException>(() => client.AssociateAsync(Ct));
        Assert.Equal(AssociateDiagnostic.AuthenticationFailure, refused.Diagnostic);
    }

    [Fact]
    public async Task Before_the_hls_reply_only_reply_to_hls_authentication_is_allowed()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        var association = new AssociationLn(() => meter.Objects, AccessRights.HlsPending, 1, 1, ApplicationContext.LogicalNameCiphered,
            AuthenticationMechanism.HighGmac, _ => null);

        Assert.False(AccessRights.HlsPending.CanRead(meter.Objects[1], 2));
        Assert.True(AccessRights.HlsPending.Method(association, 1));
        Assert.False(AccessRights.HlsPending.Method(meter.Objects[2], 1));
        Assert.Equal(ActionResult.OtherReason, association.Invoke(1, new OctetString(new Octets(new byte[17]))).Result);
    }

    [Fact]
    public async Task A_replayed_invocation_counter_is_refused()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        await using (var first = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite, new MemoryInvocationCounter(100)), Ct))
        {
            await first.AssociateAsync(Ct);
            Assert.Equal(DataAccessResult.Success, (await first.GetAsync(Energy, cancellationToken: Ct)).Result);
        }
        // A client that lost its counter starts again below what the meter has seen: its AARQ is a replay.
        await using var forgetful = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite, new MemoryInvocationCounter(1)), Ct);
        var refused = await Assert.ThrowsAsync<DlmsAssociationRefusedException>(() => forgetful.AssociateAsync(Ct));
        Assert.Equal(AssociateDiagnostic.AuthenticationFailure, refused.Diagnostic);
    }

    [Fact]
    public async Task A_replayed_ciphered_request_inside_an_association_gets_an_invocation_counter_error()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        var counter = new ReplayingCounter();
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite, counter), Ct);
        await client.AssociateAsync(Ct);
        Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result);

        counter.Replay = true;
        var refused = await Assert.ThrowsAsync<DlmsServiceRefusedException>(() => client.GetAsync(Energy, cancellationToken: Ct));
        Assert.Equal(ServiceError.InvocationCounterError, refused.Response.ServiceError);
    }

    [Fact]
    public async Task Long_answers_and_long_values_travel_in_blocks_both_ways_ciphered()
    {
        await using var meter = new LoopbackMeter(keys: true, maxPdu: 128);
        for (int i = 0; i < 40; i++)
        {
            meter.Profile.Capture();
            meter.Clock.Advance(Duration.FromMinutes(15));
            meter.EnergyWh += 10;
        }
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite, maxPdu: 128), Ct);
        await client.AssociateAsync(Ct);

        var buffer = await client.GetAsync(new CosemAttributeDescriptor(7, LoopbackMeter.ProfileName, 2), cancellationToken: Ct);
        Assert.Equal(40, Assert.IsType<DlmsArray>(buffer.Value).Items.Count);
        Assert.Equal(meter.Profile.Get(2).Value, buffer.Value);
        var longNote = new OctetString(new Octets(Enumerable.Range(0, 500).Select(i => (byte)(i % 256)).ToArray()));
        Assert.Equal(DataAccessResult.Success, await client.SetAsync(Note, longNote, Ct));
        Assert.Equal(longNote, (await client.GetAsync(Note, cancellationToken: Ct)).Value);
        var longToken = new OctetString(new Octets(new byte[300]));
        Assert.Equal(ActionResult.Success, (await client.ActionAsync(EnterToken, longToken, Ct)).Result);
        Assert.Equal(longToken.Value, Assert.Single(meter.Tokens));
    }

    [Fact]
    public async Task The_profile_reads_by_clock_range_over_the_wire()
    {
        await using var meter = new LoopbackMeter();
        var start = meter.Clock.GetCurrentInstant();
        for (int i = 0; i < 8; i++)
        {
            meter.Profile.Capture();
            meter.Clock.Advance(Duration.FromMinutes(15));
            meter.EnergyWh += 10;
        }
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, new DlmsClientOptions { ClientAddress = 1 }, Ct);
        await client.AssociateAsync(Ct);
        var range = Structure(new CaptureObject(8, Clock.StandardName, 2).ToValue(),
            DateTime(CosemDateTime.From((start + Duration.FromMinutes(30)).WithOffset(Offset.Zero))),
            DateTime(CosemDateTime.From((start + Duration.FromMinutes(60)).WithOffset(Offset.Zero))), Array([]));

        var rows = await client.GetAsync(new CosemAttributeDescriptor(7, LoopbackMeter.ProfileName, 2), new SelectiveAccess(1, range), Ct);
        var items = Assert.IsType<DlmsArray>(rows.Value).Items;
        Assert.Equal([1254u, 1264u, 1274u], items.Select(r => ((DoubleLongUnsigned)((DlmsStructure)r).Fields[1]).Value));
    }

    [Fact]
    public async Task The_server_survives_a_probe_and_serves_several_associations_in_turn()
    {
        await using var meter = new LoopbackMeter(keys: true);
        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync("127.0.0.1", meter.Port, Ct);
        }
        using (var garbage = new TcpClient())
        {
            await garbage.ConnectAsync("127.0.0.1", meter.Port, Ct);
            await garbage.GetStream().WriteAsync(new byte[] { 0x7E, 0xA0, 0x07 }, Ct);
        }
        using var suite = new SecuritySuite0(LoopbackMeter.BlockCipherKey, LoopbackMeter.AuthenticationKey);
        var counter = new MemoryInvocationCounter();
        for (int i = 0; i < 3; i++)
        {
            // One connection at a time, as on a meter's single port: each client closes before the next connects.
            await using (var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, Hls(suite, counter), Ct))
            {
                await client.AssociateAsync(Ct);
                Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result);
                await client.ReleaseAsync(Ct);
            }
            await using var reader = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, new DlmsClientOptions(), Ct);
            await reader.AssociateAsync(Ct);
            Assert.Equal(DataAccessResult.Success, (await reader.GetAsync(Energy, cancellationToken: Ct)).Result);
        }
    }

    [Fact]
    public async Task A_released_connection_can_associate_again()
    {
        await using var meter = new LoopbackMeter();
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", meter.Port, new DlmsClientOptions(), Ct);
        await client.AssociateAsync(Ct);
        await client.ReleaseAsync(Ct);

        await Assert.ThrowsAsync<DlmsServiceRefusedException>(() => client.GetAsync(Energy, cancellationToken: Ct));
        await client.AssociateAsync(Ct);
        Assert.Equal(DataAccessResult.Success, (await client.GetAsync(Energy, cancellationToken: Ct)).Result);
    }

    /// <summary>Hands out rising values until told to hand out the last one again.</summary>
    private sealed class ReplayingCounter : IInvocationCounterStore
    {
        private uint _next = 1;

        public bool Replay { get; set; }

        public uint Reserve() => Replay ? _next - 1 : _next++;
    }
}
