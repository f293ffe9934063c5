using Prepay.Payments.Providers;
using Prepay.Payments.Sandbox;

namespace Prepay.Payments.Tests.Sandbox;

/// <summary>The sandbox's test instruments and the callback signature scheme, without a server.</summary>
public sealed class SandboxInstrumentTests
{
    [Theory]
    [InlineData("4242 4242 4242 4242", true, null)]
    [InlineData("4000000000000002", false, "card_declined")]
    [InlineData("4000-0000-0000-9995", false, "insufficient_funds")]
    [InlineData("4000 0000 0000 5126", true, null)]
    public void Test_cards_decide_as_published(string card, bool approved, string? reason)
    {
        var (ok, why, error) = TestCards.Decide(card);
        Assert.Null(error);
        Assert.Equal(approved, ok);
        Assert.Equal(reason, why);
    }

    [Theory]
    [InlineData("4242 4242 4242 4241")] // check digit wrong
    [InlineData("4111 1111 1111 1111")] // a real card's test number, not the sandbox's
    [InlineData("12345")]
    [InlineData("")]
    public void Other_numbers_are_refused_without_a_decision(string card)
    {
        var (ok, _, error) = TestCards.Decide(card);
        Assert.False(ok);
        Assert.NotNull(error);
    }

    [Fact]
    public void Mobile_numbers_ending_in_0002_are_declined()
    {
        Assert.True(TestCards.DecideMobile("+27 82 555 1234").Approved);
        Assert.Equal("payer_declined", TestCards.DecideMobile("+27 82 555 0002").DeclineReason);
        Assert.NotNull(TestCards.DecideMobile("12").Error);
        Assert.Equal("card •••• 4242", TestCards.Masked("card", "4242 4242 4242 4242"));
    }

    [Fact]
    public void A_signature_verifies_only_for_its_secret_body_and_time()
    {
        const string secret = "a-test-secret-of-thirty-two-chars!!";
        var header = CallbackSignature.Sign(secret, 1_795_000_000, "{\"a\":1}");
        Assert.True(CallbackSignature.Verify(secret, header, "{\"a\":1}", out var t));
        Assert.Equal(1_795_000_000, t);
        Assert.False(CallbackSignature.Verify(secret, header, "{\"a\":2}", out _));
        Assert.False(CallbackSignature.Verify(secret + "x", header, "{\"a\":1}", out _));
        Assert.False(CallbackSignature.Verify(secret, header.Replace("t=1795000000", "t=1795000001", StringComparison.Ordinal), "{\"a\":1}", out _));
        Assert.False(CallbackSignature.Verify(secret, "v1=abc", "{\"a\":1}", out _));
    }
}
