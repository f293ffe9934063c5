using Prepay.Domain.Money;
using Xunit;

namespace Prepay.Domain.Tests.Money;

using Money = Prepay.Domain.Money.Money;

public class MoneyParseTests
{
    private static readonly Currency Ugx = Currency.FromCode("UGX");
    private static readonly Currency Kwd = Currency.FromCode("KWD");

    [Theory]
    [InlineData("100.00", 10_000)]
    [InlineData("100", 10_000)]
    [InlineData("100.5", 10_050)]
    [InlineData("0.01", 1)]
    [InlineData("-2.50", -250)]
    [InlineData(" 7.00 ", 700)]
    public void A_decimal_amount_is_read_into_cents(string text, long minor)
    {
        Assert.Equal(new Money(minor, Currency.ZAR), Money.Parse(text, Currency.ZAR));
    }

    [Theory]
    [InlineData("100.001", "more than 2 decimal places")]
    [InlineData("1e3", "decimal number")]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData(null, "is required")]
    [InlineData("-", "decimal number")]
    [InlineData("abc", "decimal number")]
    [InlineData("1,000.00", "decimal number")]
    [InlineData("+5", "decimal number")]
    [InlineData("5.", "decimal number")]
    [InlineData(".5", "decimal number")]
    [InlineData("1000000000000000", "too large")]
    [InlineData("99999999999999999999999", "too large")]
    public void Text_that_is_not_an_exact_amount_is_refused_with_a_reason(string? text, string reason)
    {
        var result = Money.TryParse(text, Currency.ZAR);

        Assert.False(result.Success);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_currency_without_minor_units_takes_no_decimals()
    {
        Assert.Equal(new Money(5000, Ugx), Money.Parse("5000", Ugx));
        Assert.False(Money.TryParse("5000.5", Ugx).Success);
        Assert.False(Money.TryParse("5000.0", Ugx).Success);
        Assert.Equal("5000", new Money(5000, Ugx).ToDecimalString());
    }

    [Fact]
    public void A_currency_with_three_decimals_reads_and_prints_them()
    {
        Assert.Equal(new Money(1_005, Kwd), Money.Parse("1.005", Kwd));
        Assert.Equal("1.005", new Money(1_005, Kwd).ToDecimalString());
        Assert.Equal("-0.050", new Money(-50, Kwd).ToDecimalString());
    }

    [Fact]
    public void The_largest_accepted_amount_still_fits()
    {
        var max = Money.Parse("999999999999999.999", Kwd);
        Assert.Equal(999_999_999_999_999_999, max.Minor);
    }

    [Fact]
    public void Parse_throws_a_format_exception_naming_the_text()
    {
        var e = Assert.Throws<FormatException>(() => Money.Parse("100.001", Currency.ZAR));
        Assert.Contains("'100.001'", e.Message, StringComparison.Ordinal);
    }
}
