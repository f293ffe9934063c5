using CsCheck;
using Prepay.Domain.Energy;
using Prepay.Sts.Tokens;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Tests.Tokens;

/// <summary>A sale's energy on STS credit tokens: each amount exact, together exactly the energy bought.</summary>
public sealed class CreditSplitTests
{
    [Theory]
    [InlineData(100, new long[] { 100 })] // 0.1 kWh
    [InlineData(1_638_300, new long[] { 1_638_300 })] // 1 638.3 kWh: the largest amount with 0.1 kWh steps
    [InlineData(1_638_400, new long[] { 1_638_400 })] // 1 638.4 kWh: the first amount of exponent 1 (m = 0)
    [InlineData(1_638_500, new long[] { 1_638_400, 100 })] // 1 638.5 kWh: exponent 1 steps by 1 kWh
    [InlineData(2_000_000, new long[] { 1_999_400, 600 })] // 2 000.0 kWh: 1 999.4 kWh + 0.6 kWh, not 2 000.4 kWh
    public void A_sale_is_carried_by_exact_amounts_that_add_up_to_it(long wh, long[] expected)
    {
        var parts = CreditSplit.Of(new Energy(wh));
        Assert.Equal(wh, parts.Sum(p => p.WattHours));
        Assert.All(parts, p => Assert.True(TransferAmount.TryFromUnitsExact(p.WattHours / 100, out _), $"{p.WattHours} Wh is no exact STS amount"));
        Assert.Equal(expected, parts.Select(p => p.WattHours));
    }

    [Fact]
    public void The_largest_amount_one_token_carries_is_one_token_and_one_unit_more_is_two()
    {
        long max = TransferAmount.MaxUnits * 100;
        Assert.Equal([max], CreditSplit.Of(new Energy(max)).Select(p => p.WattHours));
        Assert.Equal([max, 100], CreditSplit.Of(new Energy(max + 100)).Select(p => p.WattHours));
    }

    [Fact]
    public void Nothing_bought_is_one_token_of_nothing()
    {
        Assert.Equal([0L], CreditSplit.Of(Energy.Zero).Select(p => p.WattHours));
    }

    [Theory]
    [InlineData(150)]
    [InlineData(-100)]
    public void Energy_that_is_no_whole_number_of_tenths_of_a_kWh_is_refused(long wh)
    {
        Assert.Throws<UnrepresentableCreditException>(() => CreditSplit.Of(new Energy(wh)));
    }

    [Fact]
    public void Every_sale_up_to_ten_times_the_largest_token_is_carried_exactly_on_few_tokens()
    {
        Gen.Long[0, TransferAmount.MaxUnits * 10].Sample(units =>
        {
            var parts = CreditSplit.Of(new Energy(units * 100));
            Assert.Equal(units * 100, parts.Sum(p => p.WattHours));
            Assert.All(parts, p => Assert.True(TransferAmount.TryFromUnitsExact(p.WattHours / 100, out _)));
            // Full tokens, then at most the pair: the coarse amount below what is left and its exact rest.
            Assert.True(parts.Count <= units / TransferAmount.MaxUnits + 2, $"{units} units took {parts.Count} tokens");
            if (units <= 16_383)
            {
                Assert.Single(parts);
            }
        });
    }
}
