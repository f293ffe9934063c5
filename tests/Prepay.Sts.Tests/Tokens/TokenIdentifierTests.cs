using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests.Tokens;

public sealed class TokenIdentifierTests
{
    [Fact]
    public void Tid_counts_whole_minutes_and_truncates_seconds()
    {
        // IEC 62055-41 worked example: 25/03/1996 13:55:22 -> TID 0x19EB23.
        var tid = TokenIdentifier.FromInstant(new DateTimeOffset(1996, 3, 25, 13, 55, 22, TimeSpan.Zero), BaseDate.Y1993);
        Assert.Equal(0x19EB23u, tid.Minutes);
        Assert.Equal(new DateTimeOffset(1996, 3, 25, 13, 55, 0, TimeSpan.Zero), tid.ToInstant());
    }

    [Theory]
    [InlineData(BaseDate.Y1993, 1993)]
    [InlineData(BaseDate.Y2014, 2014)]
    [InlineData(BaseDate.Y2035, 2035)]
    public void Tid_zero_is_the_base_date(BaseDate baseDate, int year)
    {
        Assert.Equal(0u, TokenIdentifier.FromInstant(new DateTimeOffset(year, 1, 1, 0, 0, 59, TimeSpan.Zero), baseDate).Minutes);
    }

    [Fact]
    public void Instants_in_other_offsets_are_counted_in_utc()
    {
        var local = new DateTimeOffset(2014, 1, 1, 3, 0, 0, TimeSpan.FromHours(3));
        Assert.Equal(0u, TokenIdentifier.FromInstant(local, BaseDate.Y2014).Minutes);
    }

    [Fact]
    public void Instants_before_the_base_date_or_past_24_bits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenIdentifier.FromInstant(new DateTimeOffset(2013, 12, 31, 23, 59, 0, TimeSpan.Zero), BaseDate.Y2014));
        var last = BaseDate.Y1993.Epoch().AddMinutes(TokenIdentifier.MaxMinutes);
        Assert.Equal(TokenIdentifier.MaxMinutes, TokenIdentifier.FromInstant(last, BaseDate.Y1993).Minutes);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenIdentifier.FromInstant(last.AddMinutes(1), BaseDate.Y1993));
    }
}
