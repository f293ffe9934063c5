using CsCheck;
using Prepay.Dlms.Wrapper;

namespace Prepay.Dlms.Tests.Wrapper;

public sealed class WrapperTests
{
    // The AARQ of "Examples for DLMS/COSEM information exchange" (DLMS UA, prepared by Gyozo Kmethy, §2), carried in a
    // wrapper header laid out as IEC 62056-47 §7 gives it: version 0x0001, source wPort 0x0010 (public client),
    // destination wPort 0x0001 (management logical device), length 0x001F.
    private const string Aarq = "601DA109060760857405080101BE10040E01000000065F1F040000301DFFFF";
    private static readonly byte[] Golden = Hex.Bytes("0001 0010 0001 001F" + Aarq);

    [Fact]
    public void The_header_is_four_big_endian_words_before_the_apdu()
    {
        var frame = new WrapperFrame(0x10, 0x01, Octets.FromHex(Aarq));

        Assert.Equal(Golden, frame.Encode());
        Assert.Equal(frame, WrapperFrame.Decode(Golden));
    }

    [Theory]
    [InlineData("0002 0010 0001 0000")]
    [InlineData("0001 0010 0001 0002 60")]
    [InlineData("0001 0010 0001 0000 60")]
    [InlineData("0001 0010 00")]
    public void Wrong_version_or_length_is_a_format_error(string hex)
    {
        Assert.Throws<DlmsFormatException>(() => WrapperFrame.Decode(Hex.Bytes(hex)));
    }

    [Fact]
    public async Task Frames_split_into_single_bytes_and_packed_together_are_read_one_by_one()
    {
        var second = new WrapperFrame(0x01, 0x10, Octets.FromHex("C001C100080000010000FF0200"));
        var reader = new WrapperFrameReader(new TrickleStream([.. Golden, .. second.Encode()], chunk: 1));

        Assert.Equal(WrapperFrame.Decode(Golden), await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(second, await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Null(await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_stream_that_ends_inside_a_frame_is_a_format_error()
    {
        var reader = new WrapperFrameReader(new TrickleStream(Golden[..^3], chunk: 5));

        await Assert.ThrowsAsync<DlmsFormatException>(async () => await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Every_frame_round_trips()
    {
        Gen.Select(Gen.UShort, Gen.UShort, Generators.Octets).Sample(t =>
        {
            var frame = new WrapperFrame(t.Item1, t.Item2, t.Item3);
            Assert.Equal(frame, WrapperFrame.Decode(frame.Encode()));
        });
    }

    [Fact]
    public void Random_and_mutated_bytes_raise_only_format_errors()
    {
        FuzzTests.RandomBytes.Sample(b => FuzzTests.OnlyFormatErrors(() => WrapperFrame.Decode(b)), iter: 20_000);
        FuzzTests.Mutations(Golden).Sample(b => FuzzTests.OnlyFormatErrors(() => WrapperFrame.Decode(b)), iter: 20_000);
    }

    [Fact]
    public async Task Random_streams_raise_only_format_errors_from_the_frame_reader()
    {
        foreach (var bytes in FuzzTests.Mutations(Golden, [.. Golden, .. Golden]).Array[200].Single())
        {
            var reader = new WrapperFrameReader(new TrickleStream(bytes, chunk: 3));
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
