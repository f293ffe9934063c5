using System.Net;
using NodaTime;
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
using Prepay.Meter.Registers;
using DlmsCredit = Prepay.Dlms.Cosem.Classes.Credit;

namespace Prepay.Meter.Tests.Dlms;

public sealed class DlmsMeterTests
{
    private static readonly byte[] Ek = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] Ak = Convert.FromHexString("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_vend_token_through_the_gateway_credits_the_firmware_and_the_relay_follows_remote_commands()
    {
        var dlms = new DlmsMeter(TestMeters.Constant(1000, creditWh: 0));
        dlms.Advance(Duration.FromHours(1));
        using var serverSuite = new SecuritySuite0(Ek, Ak);
        await using var server = new DlmsServer(new DlmsServerOptions
        {
            Objects = dlms.Objects,
            PublicObjects = DlmsMeter.PublicObjects,
            Suite = serverSuite,
            SystemTitle = Octets.FromHex("5052455041590001"),
        }, new IPEndPoint(IPAddress.Loopback, 0));
        server.Start();
        using var suite = new SecuritySuite0(Ek, Ak);
        await using var client = await DlmsClient.ConnectAsync("127.0.0.1", server.Port, new DlmsClientOptions
        {
            ClientAddress = 1,
            Mechanism = AuthenticationMechanism.HighGmac,
            Suite = suite,
            SystemTitle = Octets.FromHex("4142434445464748"),
        }, Ct);
        await client.AssociateAsync(Ct);
        Assert.Equal(RelayState.Disconnected, dlms.Meter.Relay);

        var token = new OctetString(new Octets(System.Text.Encoding.ASCII.GetBytes(TestMeters.CreditToken(1, 50))));
        Assert.Equal(ActionResult.Success, (await client.ActionAsync(new CosemMethodDescriptor(115, TokenGateway.StandardName, 1), token, Ct)).Result);

        var status = await client.GetAsync(new CosemAttributeDescriptor(115, TokenGateway.StandardName, 6), cancellationToken: Ct);
        Assert.Equal(new DlmsEnum((byte)TokenStatusCode.ExecutionOk), ((DlmsStructure)status.Value!).Fields[0]);
        Assert.Equal(new DoubleLong((int)dlms.Meter.CreditWh), (await client.GetAsync(new CosemAttributeDescriptor(112, DlmsCredit.StandardName, 2), cancellationToken: Ct)).Value);
        Assert.True(dlms.Meter.CreditWh > 0);
        Assert.Equal(RelayState.Connected, dlms.Meter.Relay);
        Assert.Equal(ActionResult.Success, (await client.ActionAsync(new CosemMethodDescriptor(70, DisconnectControl.StandardName, 1), new Integer(0), Ct)).Result);
        Assert.Equal(RelayState.Disconnected, dlms.Meter.Relay);
        Assert.Equal(new DlmsBoolean(false), (await client.GetAsync(new CosemAttributeDescriptor(70, DisconnectControl.StandardName, 2), cancellationToken: Ct)).Value);
        Assert.Equal(ActionResult.Success, (await client.ActionAsync(new CosemMethodDescriptor(70, DisconnectControl.StandardName, 2), new Integer(0), Ct)).Result);
        Assert.Equal(RelayState.Connected, dlms.Meter.Relay);

        var usedAgain = await client.ActionAsync(new CosemMethodDescriptor(115, TokenGateway.StandardName, 1), token, Ct);
        Assert.Equal(ActionResult.Success, usedAgain.Result);
        status = await client.GetAsync(new CosemAttributeDescriptor(115, TokenGateway.StandardName, 6), cancellationToken: Ct);
        Assert.Equal(new DlmsEnum((byte)TokenStatusCode.ValidationFailure), ((DlmsStructure)status.Value!).Fields[0]);
    }

    [Fact]
    public void Energy_and_the_load_profile_follow_the_firmware()
    {
        var dlms = new DlmsMeter(TestMeters.Constant(1000, creditWh: 100_000));
        dlms.Advance(Duration.FromHours(2));

        var energy = dlms.Objects.Single(o => o.LogicalName == DlmsMeter.EnergyName);
        Assert.Equal(new DoubleLongUnsigned((uint)dlms.Meter.EnergyWh), energy.Get(2).Value);
        Assert.Equal(8, dlms.Profile.EntriesInUse);
        var rows = ((DlmsArray)dlms.Profile.Get(2).Value!).Items;
        var last = (DlmsStructure)rows[^1];
        var stamped = CosemDateTime.FromOctets(((OctetString)last.Fields[0]).Value.Span).ToOffsetDateTime()!.Value.ToInstant();
        Assert.Equal(0, stamped.ToUnixTimeSeconds() % 900);
        Assert.True(((DoubleLongUnsigned)last.Fields[1]).Value <= dlms.Meter.EnergyWh);
    }
}
