using CsCheck;
using Prepay.Domain.Money;
using Xunit;

namespace Prepay.Domain.Tests.Money;

using Money = Prepay.Domain.Money.Money;

public class MoneyArithmeticTests
{
    private static readonly Currency Eur = Currency.FromCode("EUR");

    // Parse accepts at most 15 whole digits, so the property covers every amount below 10^15 major units.
    [Fact]
    public void Printing_then_parsing_any_amount_gives_it_back()
    {
        var gen = from code in Gen.OneOf("ZAR", "UGX", "KWD", "JPY")
                  let currency = Currency.FromCode(code)
                  from major in Gen.Long[-999_999_999_999_999, 999_999_999_999_999]
                  from minorPart in Gen.Long[0, currency.MinorPerMajor - 1]
                  select new Money(major * currency.MinorPerMajor + (major < 0 ? -minorPart : minorPart), currency);
        gen.Sample(m => Assert.Equal(m, Money.Parse(m.ToDecimalString(), m.Currency)), iter: 5000);
    }

    [Fact]
    public void Adding_subtracting_or_comparing_two_currencies_throws()
    {
        var zar = new Money(100, Currency.ZAR);
        var eur = new Money(100, Eur);

        Assert.Throws<InvalidOperationException>(() => zar + eur);
        Assert.Throws<InvalidOperationException>(() => zar - eur);
        Assert.Throws<InvalidOperationException>(() => zar < eur);
        Assert.Throws<InvalidOperationException>(() => Money.Max(zar, eur));
    }

    [Fact]
    public void Overflow_throws_instead_of_wrapping()
    {
        var max = new Money(long.MaxValue, Currency.ZAR);
        var min = new Money(long.MinValue, Currency.ZAR);
        var one = new Money(1, Currency.ZAR);

        Assert.Throws<OverflowException>(() => max + one);
        Assert.Throws<OverflowException>(() => min - one);
        Assert.Throws<OverflowException>(() => -min);
    }

    [Fact]
    public void Money_without_a_currency_cannot_be_made()
    {
        Assert.Throws<ArgumentException>(() => new Money(1, default));
    }

    [Fact]
    public void Equal_amounts_compare_equal_and_order_by_minor_units()
    {
        var a = new Money(100, Currency.ZAR);
        var b = new Money(250, Currency.ZAR);

        Assert.Equal(a, new Money(100, Currency.ZAR));
        Assert.NotEqual(a, new Money(100, Eur));
        Assert.True(a < b && b > a && a <= b && b >= a && a <= new Money(100, Currency.ZAR));
        Assert.Equal(new Money(350, Currency.ZAR), a + b);
        Assert.Equal(new Money(-150, Currency.ZAR), a - b);
        Assert.Equal(a, Money.Min(a, b));
        Assert.Equal("ZAR 1.00", a.ToString());
    }

    [Fact]
    public void An_unknown_currency_code_is_refused()
    {
        Assert.False(Currency.TryFromCode("XYZ", out _));
        Assert.False(Currency.TryFromCode("zar", out _));
        Assert.Throws<ArgumentException>(() => Currency.FromCode("XYZ"));
        Assert.Equal(100, Currency.ZAR.MinorPerMajor);
        Assert.Equal(1, Currency.FromCode("UGX").MinorPerMajor);
    }
}
