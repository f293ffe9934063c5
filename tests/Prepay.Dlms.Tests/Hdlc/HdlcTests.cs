using System.Text;
using CsCheck;
using Prepay.Dlms.Hdlc;

namespace Prepay.Dlms.Tests.Hdlc;

public sealed class HdlcTests
{
    // "Examples for DLMS/COSEM information exchange" (DLMS UA, prepared by Gyozo Kmethy), §1 and §2: SNRM, the UA
    // with the negotiated HDLC parameters, and the AARQ in an I frame, server upper address 1 and lower 0x11 sent
    // in four bytes, client address 0x10.
    internal const string KmethySnrm = "7EA00A00020023219318717E";
    internal const string KmethyUa = "7EA023210002002373F6C58180140502008006020080070400000001080400000001CE6A7E";
    internal const string KmethyAarq = "7EA02E0002002321107ECBE6E600601DA109060760857405080101BE10040E01000000065F1F040000301DFFFFD4C57E";

    // A GET-Request of attribute 1 of the association 0.0.40.0.0.255 from the public client 0x20 to server 1,
    // posted with its HCS 32 39 and FCS F9 79 in the Gurux forum thread "DLMS (HDLC) Packet Description Needs"
    // (gurux.fi/index.php/node/20546, a frame trace, not code).
    internal const string ForumGet = "7EA0190341B23239E6E600C001C1000F0000280000FF0100F9797E";

    // An AARQ/AARE pair with low-level security from the Gurux forum thread "Decoding of AARQ packet byte by byte"
    // (gurux.fi/node/24607, traces of a meter): client 0x20, server 1.
    internal const string ForumAarq = "7EA05F034110 07E2 E6E600 6051A109060760857405080103A60A040848504C37323939388A0207808B0760857405080201AC12801031313131313131313131313131313131BE17041521132000000001E9C53132607662DC7A94A61439BFBEB57E";
    internal const string ForumAare = "7EA04A410330 EBA8 E6E700 613CA109060760857405080103A203020100A305A103020100A40A040848504C000010F447BE170415281320000000008307 05F03594EEE1A96C27CCA051765F7E";

    [Fact]
    public void The_frame_check_sequence_is_crc_16_x25()
    {
        // Check value of CRC-16/X-25 (polynomial 0x1021 reflected, init and final XOR 0xFFFF), CRC RevEng catalogue.
        Assert.Equal(0x906E, HdlcCrc.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Kmethy_snrm_decodes_and_encodes_to_the_same_bytes()
    {
        var frame = HdlcFrame.Decode(Hex.Bytes(KmethySnrm));

        Assert.Equal(HdlcAddress.FourBytes(1, 0x11), frame.Destination);
        Assert.Equal(HdlcAddress.Client(0x10), frame.Source);
        Assert.Equal(HdlcFrameType.SetNormalResponseMode, frame.Control.Type);
        Assert.True(frame.Control.PollFinal);
        Assert.True(frame.Information.IsEmpty);
        Assert.Equal(Hex.Bytes(KmethySnrm), new HdlcFrame(HdlcAddress.FourBytes(1, 0x11), HdlcAddress.Client(0x10), HdlcControl.Of(HdlcFrameType.SetNormalResponseMode), Octets.Empty).Encode());
    }

    [Fact]
    public void Kmethy_ua_carries_the_negotiated_parameters_behind_a_header_check_sequence()
    {
        var frame = HdlcFrame.Decode(Hex.Bytes(KmethyUa));

        Assert.Equal(HdlcAddress.Client(0x10), frame.Destination);
        Assert.Equal(HdlcFrameType.UnnumberedAcknowledge, frame.Control.Type);
        Assert.Equal("818014050200800602008007040000000108040000000", frame.Information.ToString()[..45]);
        Assert.Equal(Hex.Bytes(KmethyUa), frame.Encode());
    }

    [Fact]
    public void Kmethy_aarq_is_an_information_frame_with_the_request_llc_header()
    {
        var frame = HdlcFrame.Decode(Hex.Bytes(KmethyAarq));

        Assert.Equal(HdlcFrameType.Information, frame.Control.Type);
        Assert.Equal(0, frame.Control.SendSequence);
        Assert.Equal(0, frame.Control.ReceiveSequence);
        var apdu = Llc.Unwrap(frame.Information.Span, out bool isResponse);
        Assert.False(isResponse);
        Assert.Equal(0x60, apdu[0]);
        Assert.Equal(Hex.Bytes(KmethyAarq), frame.Encode());
    }

    [Fact]
    public void Forum_get_request_frame_has_one_byte_addresses_and_sequence_numbers()
    {
        var frame = HdlcFrame.Decode(Hex.Bytes(ForumGet));

        Assert.Equal(HdlcAddress.OneByte(1), frame.Destination);
        Assert.Equal(HdlcAddress.Client(0x20), frame.Source);
        Assert.Equal(HdlcControl.Information(sendSequence: 1, receiveSequence: 5), frame.Control);
        Assert.Equal("C001C1000F0000280000FF0100", Hex.Of(Llc.Unwrap(frame.Information.Span, out _)));
        Assert.Equal(Hex.Bytes(ForumGet), frame.Encode());
    }

    [Theory]
    [InlineData(ForumAarq, false)]
    [InlineData(ForumAare, true)]
    public void Forum_association_frames_check_and_re_encode(string hex, bool response)
    {
        var frame = HdlcFrame.Decode(Hex.Bytes(hex));

        Llc.Unwrap(frame.Information.Span, out bool isResponse);
        Assert.Equal(response, isResponse);
        Assert.Equal(Hex.Bytes(hex), frame.Encode());
    }

    [Theory]
    [InlineData("7EA00A00020023219318707E")] // FCS changed
    [InlineData("7EA02E0002002321107ECCE6E600601DA109060760857405080101BE10040E01000000065F1F040000301DFFFFD4C57E")] // HCS changed
    [InlineData("7EA00B00020023219318717E")] // length
    [InlineData("7EB00A00020023219318717E")] // format type
    [InlineData("7EA00A00020023219318717F")] // closing flag
    [InlineData("7EA00700000000001871")] // address of five bytes, no closing flag
    public void Damaged_frames_are_format_errors(string hex)
    {
        Assert.Throws<DlmsFormatException>(() => HdlcFrame.Decode(Hex.Bytes(hex)));
    }

    [Fact]
    public void Control_fields_of_every_frame_type_parse_back()
    {
        var controls = new List<HdlcControl>();
        for (int s = 0; s < 8; s++)
        {
            for (int r = 0; r < 8; r++)
            {
                controls.Add(HdlcControl.Information(s, r, pollFinal: (s + r) % 2 == 0));
            }
            controls.Add(HdlcControl.ReceiveReady(s));
            controls.Add(HdlcControl.ReceiveNotReady(s, pollFinal: false));
        }
        foreach (var type in new[] { HdlcFrameType.SetNormalResponseMode, HdlcFrameType.Disconnect, HdlcFrameType.UnnumberedAcknowledge, HdlcFrameType.DisconnectedMode, HdlcFrameType.FrameReject, HdlcFrameType.UnnumberedInformation })
        {
            controls.Add(HdlcControl.Of(type));
            controls.Add(HdlcControl.Of(type, pollFinal: false));
        }
        foreach (var control in controls)
        {
            Assert.Equal(control, HdlcControl.Parse(control.Value));
        }
        Assert.Equal(0x93, HdlcControl.Of(HdlcFrameType.SetNormalResponseMode).Value);
        Assert.Equal(0x53, HdlcControl.Of(HdlcFrameType.Disconnect).Value);
        Assert.Equal(0x73, HdlcControl.Of(HdlcFrameType.UnnumberedAcknowledge).Value);
        Assert.Equal(0x1F, HdlcControl.Of(HdlcFrameType.DisconnectedMode).Value);
        Assert.Equal(0x97, HdlcControl.Of(HdlcFrameType.FrameReject).Value);
        Assert.Equal(0x13, HdlcControl.Of(HdlcFrameType.UnnumberedInformation).Value);
        Assert.Equal(0x51, HdlcControl.ReceiveReady(2).Value);
    }

    private static readonly HdlcFrameType[] Unnumbered =
    [
        HdlcFrameType.SetNormalResponseMode, HdlcFrameType.Disconnect, HdlcFrameType.UnnumberedAcknowledge,
        HdlcFrameType.DisconnectedMode, HdlcFrameType.FrameReject, HdlcFrameType.UnnumberedInformation,
    ];

    private static readonly Gen<HdlcAddress> Server = Gen.OneOf(
        Gen.Int[0, 0x7F].Select(HdlcAddress.OneByte),
        Gen.Select(Gen.Int[0, 0x7F], Gen.Int[0, 0x7F]).Select(t => HdlcAddress.TwoBytes(t.Item1, t.Item2)),
        Gen.Select(Gen.Int[0, 0x3FFF], Gen.Int[0, 0x3FFF]).Select(t => HdlcAddress.FourBytes(t.Item1, t.Item2)));

    private static readonly Gen<HdlcControl> Control = Gen.OneOf(
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 7], Gen.Bool).Select(t => HdlcControl.Information(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Gen.Int[0, 7], Gen.Bool).Select(t => HdlcControl.ReceiveReady(t.Item1, t.Item2)),
        Gen.Select(Generators.Pick(Unnumbered), Gen.Bool).Select(t => HdlcControl.Of(t.Item1, t.Item2)));

    internal static readonly Gen<HdlcFrame> Frames =
        Gen.Select(Server, Gen.Int[0, 0x7F], Control, Gen.Byte.Array[0, 200], Gen.Bool).Select(t =>
        {
            bool fromClient = t.Item5;
            var client = HdlcAddress.Client(t.Item2);
            return new HdlcFrame(fromClient ? t.Item1 : client, fromClient ? client : t.Item1, t.Item3, new Octets(t.Item4), Segmented: t.Item4.Length % 3 == 0);
        });

    [Fact]
    public void Every_frame_round_trips_with_every_address_form()
    {
        Frames.Sample(frame => Assert.Equal(frame, HdlcFrame.Decode(frame.Encode())), iter: 5_000);
    }

    [Fact]
    public async Task The_frame_reader_skips_noise_shares_flags_and_survives_single_byte_reads()
    {
        byte[] snrm = Hex.Bytes(KmethySnrm);
        byte[] ua = Hex.Bytes(KmethyUa);
        // Noise, two idle flags, the SNRM, then the UA sharing the SNRM's closing flag, then the GET.
        byte[] stream = [0x00, 0x13, 0x7E, 0x7E, .. snrm, .. ua[1..], .. Hex.Bytes(ForumGet)];
        var reader = new HdlcFrameReader(new TrickleStream(stream, chunk: 1));
        var token = TestContext.Current.CancellationToken;

        Assert.Equal(HdlcFrame.Decode(snrm), await reader.ReadAsync(token));
        Assert.Equal(HdlcFrame.Decode(ua), await reader.ReadAsync(token));
        Assert.Equal(HdlcFrame.Decode(Hex.Bytes(ForumGet)), await reader.ReadAsync(token));
        Assert.Null(await reader.ReadAsync(token));
    }

    [Fact]
    public void Random_and_mutated_frames_raise_only_format_errors()
    {
        byte[][] seeds = [Hex.Bytes(KmethySnrm), Hex.Bytes(KmethyUa), Hex.Bytes(KmethyAarq), Hex.Bytes(ForumGet), Hex.Bytes(ForumAarq)];
        FuzzTests.RandomBytes.Select(b => (byte[])[0x7E, 0xA0, .. b, 0x7E]).Sample(b => FuzzTests.OnlyFormatErrors(() => HdlcFrame.Decode(b)), iter: 20_000);
        FuzzTests.Mutations(seeds).Sample(b => FuzzTests.OnlyFormatErrors(() =>
        {
            var frame = HdlcFrame.Decode(b);
            Llc.Unwrap(frame.Information.Span, out _);
        }), iter: 30_000);
    }

    [Fact]
    public async Task Mutated_streams_raise_only_format_errors_from_the_frame_reader()
    {
        byte[][] seeds = [[.. Hex.Bytes(KmethySnrm), .. Hex.Bytes(KmethyUa)], Hex.Bytes(ForumGet)];
        foreach (var bytes in FuzzTests.Mutations(seeds).Array[300].Single())
        {
            var reader = new HdlcFrameReader(new TrickleStream(bytes, chunk: 4));
            try
            {
                while (await reader.ReadAsync(TestContext.Current.CancellationToken) is not null)
                {
                }
            }
            catch (DlmsFormatException)
            {
            }
        }
    }
}
