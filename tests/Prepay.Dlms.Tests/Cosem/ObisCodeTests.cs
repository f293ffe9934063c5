using CsCheck;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Tests.Cosem;

public sealed class ObisCodeTests
{
    // IEC 62056-6-1: 1-0:1.8.0*255 is active energy import (+A), total; the clock is 0-0:1.0.0*255.
    [Theory]
    [InlineData("1.0.1.8.0.255")]
    [InlineData("1-0:1.8.0*255")]
    [InlineData(" 1-0:1.8.0*255 ")]
    public void Both_written_forms_parse_to_the_same_code(string text)
    {
        Assert.Equal(new ObisCode(1, 0, 1, 8, 0, 255), ObisCode.Parse(text));
    }

    [Fact]
    public void Codes_format_in_both_forms()
    {
        var clock = new ObisCode(0, 0, 1, 0, 0, 255);
        Assert.Equal("0.0.1.0.0.255", clock.ToString());
        Assert.Equal("0-0:1.0.0*255", clock.ToDisplayString());
        Assert.Equal(new byte[] { 0, 0, 1, 0, 0, 255 }, clock.ToBytes());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1.0.1.8.0")]
    [InlineData("1.0.1.8.0.256")]
    [InlineData("1.0.1.8.0.255.1")]
    [InlineData("1-0:1.8*255")]
    [InlineData("1:0-1.8.0*255")]
    [InlineData("a.b.c.d.e.f")]
    [InlineData("1.0.1.8.0.+5")]
    [InlineData("1.0.1.8..255")]
    public void Text_that_is_not_a_code_gives_no_code(string? text)
    {
        Assert.Null(ObisCode.TryParse(text));
    }

    [Fact]
    public void Every_code_round_trips_through_both_forms_and_its_bytes()
    {
        Generators.Obis.Sample(code =>
        {
            Assert.Equal(code, ObisCode.Parse(code.ToString()));
            Assert.Equal(code, ObisCode.Parse(code.ToDisplayString()));
            Assert.Equal(code, ObisCode.FromBytes(code.ToBytes()));
        });
    }

    [Fact]
    public void A_logical_name_of_another_length_is_a_format_error()
    {
        Assert.Throws<DlmsFormatException>(() => ObisCode.FromBytes(new byte[5]));
    }
}
