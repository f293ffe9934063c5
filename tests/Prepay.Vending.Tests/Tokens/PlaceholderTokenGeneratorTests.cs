using Prepay.Domain.Metering;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Tests.Tokens;

using Meter = Prepay.Domain.Metering.Meter; // not the namespace Prepay.Meter, which this project now sees too

/// <summary>The stand-in for a missing vending key: fine for keypad demos, refused where it would lose credit.</summary>
public sealed class PlaceholderTokenGeneratorTests
{
    private static Meter Meter(MeterMode mode, bool decoder) => new() { MeterNumber = "04000000001", Currency = "ZAR", Mode = mode, HasStsDecoder = decoder };

    [Fact]
    public void A_smart_meter_with_a_keypad_decoder_is_refused_tokens_a_keypad_meter_gets_placeholders()
    {
        var generator = new PlaceholderTokenGenerator();
        Assert.Contains("no STS vending key", generator.CannotIssueFor(Meter(MeterMode.Smart, decoder: true)), StringComparison.Ordinal);
        Assert.Null(generator.CannotIssueFor(Meter(MeterMode.Token, decoder: false)));
    }
}
