using CsCheck;
using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests.Tokens;

public sealed class TokenNumberTests
{
    [Theory]
    [InlineData("1234")]
    [InlineData("123456789012345678901")]
    [InlineData("1234567890123456789x")]
    [InlineData("")]
    public void Malformed_token_text_is_refused_with_a_reason(string text)
    {
        Assert.NotNull(TokenNumber.TryParse(text, out _));
    }

    [Fact]
    public void Numbers_of_2_pow_66_or_more_are_not_tokens()
    {
        // 2^66 = 73786976294838206464.
        Assert.NotNull(TokenNumber.TryParse("73786976294838206464", out _));
        Assert.Null(TokenNumber.TryParse("73786976294838206463", out var largest));
        Assert.Equal((UInt128.One << 66) - 1, largest.Value);
        Assert.NotNull(TokenNumber.TryParse("99999999999999999999", out _));
    }

    [Fact]
    public void Grouped_digits_with_dashes_parse()
    {
        Assert.Null(TokenNumber.TryParse("2371-6100-5011-8319-4197", out var token));
        Assert.Equal("23716100501183194197", token.ToString());
        Assert.Equal("2371-6100-5011-8319-4197", token.ToGroupedString());
    }

    [Fact]
    public void Formatting_and_parsing_round_trip_every_66_bit_value()
    {
        Gen.Select(Gen.ULong, Gen.Int[0, 3]).Sample(t =>
        {
            var token = TokenNumber.FromValue(new UInt128((ulong)t.Item2, t.Item1));
            string text = token.ToString();
            Assert.Equal(20, text.Length);
            Assert.Equal(token.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(20, '0'), text);
            Assert.Null(TokenNumber.TryParse(text, out var back));
            Assert.Equal(token, back);
        });
    }

    [Fact]
    public void Class_bits_are_transposed_with_block_bits_27_and_28()
    {
        Gen.Select(Gen.ULong, Gen.Int[0, 3]).Sample(t =>
        {
            var token = TokenNumber.FromBlock(t.Item1, (TokenClass)t.Item2);
            Assert.Equal((TokenClass)t.Item2, token.Class);
            Assert.Equal((t.Item1 >> 27) & 3, token.High);
            Assert.Equal(t.Item1, token.ToBlock());
        });
    }
}
