using CsCheck;
using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests.Tokens;

public sealed class TransferAmountTests
{
    [Fact]
    public void Largest_amount_is_1820162_point_4_kWh()
    {
        Assert.Equal(18_201_624, TransferAmount.Max.Units);
        Assert.Equal(TransferAmount.MaxUnits, TransferAmount.Max.Units);
    }

    [Theory]
    [InlineData(0, 0x0000)]
    [InlineData(1, 0x0001)]
    [InlineData(256, 0x0100)] // 25.6 kWh in the standard's worked example
    [InlineData(16_383, 0x3FFF)]
    [InlineData(16_384, 0x4000)]
    [InlineData(16_394, 0x4001)]
    [InlineData(180_214, 0x7FFF)]
    [InlineData(180_224, 0x8000)]
    [InlineData(1_818_624, 0xC000)]
    public void Exact_amounts_encode_to_the_expected_bits(long units, int encoded)
    {
        Assert.Equal(encoded, TransferAmount.FromUnitsExact(units).Encoded);
    }

    [Theory]
    [InlineData(16_385)]
    [InlineData(180_215)]
    [InlineData(18_201_625)]
    [InlineData(-1)]
    public void Exact_encoding_refuses_unrepresentable_amounts(long units)
    {
        Assert.False(TransferAmount.TryFromUnitsExact(units, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => TransferAmount.FromUnitsExact(units));
    }

    [Fact]
    public void Every_16_bit_pattern_round_trips_through_its_units()
    {
        for (int encoded = 0; encoded <= ushort.MaxValue; encoded++)
        {
            var amount = TransferAmount.FromEncoded((ushort)encoded);
            Assert.Equal(encoded, TransferAmount.FromUnitsExact(amount.Units).Encoded);
        }
    }

    [Fact]
    public void Rounding_down_gives_the_largest_representable_amount_not_above()
    {
        Gen.Long[0, TransferAmount.MaxUnits].Sample(units =>
        {
            var down = TransferAmount.FromUnitsRoundingDown(units);
            Assert.True(down.Units <= units);
            if (down.Encoded != ushort.MaxValue)
            {
                var next = TransferAmount.FromEncoded((ushort)(down.Encoded + 1));
                Assert.True(next.Units > units, $"{next.Units} should exceed {units}");
            }
        });
    }

    [Fact]
    public void Rounding_up_gives_the_smallest_representable_amount_not_below()
    {
        Gen.Long[0, TransferAmount.MaxUnits].Sample(units =>
        {
            var up = TransferAmount.FromUnitsRoundingUp(units);
            Assert.True(up.Units >= units);
            if (up.Encoded != 0)
            {
                Assert.True(TransferAmount.FromEncoded((ushort)(up.Encoded - 1)).Units < units);
            }
        });
    }

    [Fact]
    public void Rounding_down_above_the_maximum_throws_instead_of_capping()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TransferAmount.FromUnitsRoundingDown(TransferAmount.MaxUnits + 1));
    }
}
