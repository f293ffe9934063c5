using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Tests.Apdus;

public sealed class ApduGoldenTests
{
    // "Examples for DLMS/COSEM information exchange" (DLMS UA, prepared by Gyozo Kmethy), §2 AARQ/AARE exchange:
    // the AARQ of the public client, logical names, no ciphering, lowest level security.
    private const string KmethyAarq = "601DA109060760857405080101BE10040E01000000065F1F040000301DFFFF";

    // The LLS AARQ and its AARE from the Gurux forum thread "Decoding of AARQ packet byte by byte"
    // (gurux.fi/node/24607, traces of a meter, not code): ciphered context, system titles, password 16 x '1'.
    private const string ForumAarq = "6051A109060760857405080103A60A040848504C37323939388A0207808B0760857405080201AC12801031313131313131313131313131313131BE17041521132000000001E9C53132607662DC7A94A61439BF";
    private const string ForumAare = "613CA109060760857405080103A203020100A305A103020100A40A040848504C000010F447BE17041528132000000000830705F03594EEE1A96C27CCA051";

    [Fact]
    public void Kmethy_aarq_names_the_logical_name_context_and_proposes_its_conformance()
    {
        var aarq = Assert.IsType<Aarq>(Apdu.Decode(Hex.Bytes(KmethyAarq)));

        Assert.Equal(ApplicationContext.LogicalName, aarq.ApplicationContext);
        Assert.Null(aarq.Mechanism);
        Assert.Null(aarq.CallingApTitle);
        var initiate = Assert.IsType<InitiateRequest>(Apdu.Decode(aarq.UserInformation!.Value.Span));
        Assert.Equal(
            Conformance.Attribute0SupportedWithGet | Conformance.BlockTransferWithGetOrRead | Conformance.Get
            | Conformance.Set | Conformance.SelectiveAccess | Conformance.Action,
            initiate.ProposedConformance);
        Assert.Equal(0xFFFF, initiate.ClientMaxReceivePduSize);
        Assert.Equal(6, initiate.ProposedDlmsVersion);
        Assert.True(initiate.ResponseAllowed);
        Assert.Null(initiate.DedicatedKey);
        Assert.Null(initiate.ProposedQualityOfService);

        var rebuilt = new Aarq(ApplicationContext.LogicalName, new Octets(new InitiateRequest(initiate.ProposedConformance, 0xFFFF).Encode()));
        Assert.Equal(KmethyAarq, Hex.Of(rebuilt.Encode()));
    }

    [Fact]
    public void Forum_low_level_security_aarq_carries_title_mechanism_password_and_ciphered_initiate()
    {
        var aarq = Assert.IsType<Aarq>(Apdu.Decode(Hex.Bytes(ForumAarq)));

        Assert.Equal(ApplicationContext.LogicalNameCiphered, aarq.ApplicationContext);
        Assert.Equal("HPL72998", System.Text.Encoding.ASCII.GetString(aarq.CallingApTitle!.Value.Span));
        Assert.Equal(AuthenticationMechanism.Low, aarq.Mechanism);
        Assert.Equal(new string('1', 16), System.Text.Encoding.ASCII.GetString(aarq.CallingAuthenticationValue!.Value.Span));
        Assert.Equal("21132000000001E9C53132607662DC7A94A61439BF", aarq.UserInformation!.Value.ToString());
        Assert.Equal(ForumAarq, Hex.Of(aarq.Encode()));
    }

    [Fact]
    public void Forum_aare_accepts_with_the_servers_system_title()
    {
        var aare = Assert.IsType<Aare>(Apdu.Decode(Hex.Bytes(ForumAare)));

        Assert.Equal(ApplicationContext.LogicalNameCiphered, aare.ApplicationContext);
        Assert.Equal(AssociationResult.Accepted, aare.Result);
        Assert.Equal(AssociateDiagnostic.Null, aare.Diagnostic);
        Assert.Equal("48504C000010F447", aare.RespondingApTitle!.Value.ToString());
        Assert.Equal(ForumAare, Hex.Of(aare.Encode()));
    }

    // The GET of the Gurux forum frame "DLMS (HDLC) Packet Description Needs" (gurux.fi/index.php/node/20546):
    // attribute 1 (logical name) of the association LN object 0.0.40.0.0.255, class 15.
    [Fact]
    public void Forum_get_request_reads_one_attribute_without_selective_access()
    {
        var request = new GetRequestNormal(new InvokeIdAndPriority(0xC1), new CosemAttributeDescriptor(15, ObisCode.Parse("0.0.40.0.0.255"), 1));

        Assert.Equal("C001C1000F0000280000FF0100", Hex.Of(request.Encode()));
        Assert.Equal(request, Apdu.Decode(request.Encode()));
        Assert.Equal(1, request.Invoke.InvokeId);
        Assert.True(request.Invoke.Confirmed);
        Assert.True(request.Invoke.HighPriority);
    }

    // The head of the Austrian HAN push (amsreader-firmware frames/austria.raw, a published frame dump): tag 0F,
    // long-invoke-id-and-priority 80 3E 37 71, a 12-byte date-time; the body is cut to the first entry's logical
    // name here because the published body is truncated.
    [Fact]
    public void Austrian_push_header_is_a_data_notification_with_its_time()
    {
        var notification = Assert.IsType<DataNotification>(
            Apdu.Decode(Hex.Bytes("0F 803E3771 0C 07E50C1B010E002D00FFC402 09 06 0100010800FF")));

        Assert.Equal(0x803E3771u, notification.LongInvokeIdAndPriority);
        Assert.Equal(new CosemDate(2021, 12, 27, 1), notification.DateTime!.Value.Date);
        Assert.Equal(new OctetString(Octets.FromHex("0100010800FF")), notification.Body);
    }

    // Hand-worked from the Green Book's xDLMS ASN.1: the InitiateResponse a server gives the Kmethy AARQ,
    // conformance 00 10 1D, server-max-receive-pdu-size 0x01F4, vaa-name 0x0007.
    [Fact]
    public void Initiate_response_writes_conformance_in_its_ber_wrapping()
    {
        var response = new InitiateResponse(
            Conformance.BlockTransferWithGetOrRead | Conformance.Get | Conformance.Set | Conformance.SelectiveAccess | Conformance.Action, 0x01F4);

        Assert.Equal("0800065F1F040000101D01F40007", Hex.Of(response.Encode()));
    }

    [Fact]
    public void An_empty_release_request_has_no_reason()
    {
        Assert.Equal(new Rlrq(null), Apdu.Decode(Hex.Bytes("6200")));
    }

    [Fact]
    public void Release_request_and_response_carry_their_reason()
    {
        Assert.Equal("6203800100", Hex.Of(new Rlrq().Encode()));
        Assert.Equal("6303800100", Hex.Of(new Rlre().Encode()));
        Assert.Equal(new Rlre(ReleaseResponseReason.NotFinished), Apdu.Decode(Hex.Bytes("6303800101")));
    }

    [Fact]
    public void Exception_response_with_an_invocation_counter_error_carries_the_expected_counter()
    {
        var exception = new ExceptionResponse(StateError.ServiceNotAllowed, ServiceError.InvocationCounterError, 0x12345678);

        Assert.Equal("D8010512345678", Hex.Of(exception.Encode()));
        Assert.Equal(exception, Apdu.Decode(exception.Encode()));
        Assert.Equal(new ExceptionResponse(StateError.ServiceUnknown, ServiceError.OperationNotPossible), Apdu.Decode(Hex.Bytes("D80200")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("C0")]
    [InlineData("C004C1")]
    [InlineData("C001C1000F0000280000FF01")]
    [InlineData("C001C1000F0000280000FF010000")]
    [InlineData("C402C10100000001020101")]
    [InlineData("601DA109060760857405080101BE10040E01000000065F1F040000301DFF")]
    [InlineData("6005BE03040100")]
    [InlineData("6009A10706056085740508")]
    [InlineData("610BA109060760857405080101")]
    [InlineData("0F000000010500")]
    [InlineData("99")]
    public void Malformed_apdus_are_format_errors(string hex)
    {
        Assert.Throws<DlmsFormatException>(() => Apdu.Decode(Hex.Bytes(hex)));
    }
}
