using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Vending.Tests.Vends;

/// <summary>What a vend request may say before anything is priced or written.</summary>
public sealed class VendCommandTests
{
    private static Dictionary<string, string[]> Errors(string? channel) =>
        VendCommand.From("key-1", new VendRequest("04000000001", null, null, "10.00", "ZAR", channel, null), 10_000_000).Errors;

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+27821234567")]
    [InlineData("-1")]
    [InlineData("@SUM(A1)")]
    [InlineData("shop<script>")]
    [InlineData("tab\tinside")]
    public void A_channel_that_is_not_a_plain_name_is_refused(string channel) =>
        Assert.Contains("channel", Errors(channel).Keys);

    [Theory]
    [InlineData("shop")]
    [InlineData("mobile-app")]
    [InlineData("Kiosk 12")]
    [InlineData("agent_7.north")]
    [InlineData(null)]
    public void A_plain_channel_name_is_taken(string? channel) =>
        Assert.DoesNotContain("channel", Errors(channel).Keys);
}
