using Prepay.Sts.Algorithms;
using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests.Tokens;

public sealed class PowerLimitTests
{
    [Theory]
    [InlineData(TokenClass.CreditTransfer, 0, true)]
    [InlineData(TokenClass.CreditTransfer, 7, true)]
    [InlineData(TokenClass.MeterSpecificManagement, 0, true)] // MPL
    [InlineData(TokenClass.MeterSpecificManagement, 6, true)] // MPPUL
    [InlineData(TokenClass.MeterSpecificManagement, 1, false)] // clear credit: a register mask
    [InlineData(TokenClass.MeterSpecificManagement, 2, false)] // tariff rate
    [InlineData(TokenClass.MeterSpecificManagement, 5, false)] // clear tamper: a pad
    [InlineData(TokenClass.MeterSpecificManagement, 7, false)] // water meter factor
    [InlineData(TokenClass.NonMeterSpecificEngineering, 0, false)]
    public void Only_credit_and_power_limit_tokens_carry_a_transfer_amount(TokenClass tokenClass, int subclass, bool expected)
    {
        Assert.Equal(expected, TokenData.IsTransferAmount(tokenClass, subclass));
    }

    [Fact]
    public void A_power_limit_carries_the_amount_bits_and_reads_back_in_watts()
    {
        var data = TokenData.PowerLimit(ManagementSubclass.SetMaximumPowerLimit, 5, 1234, TransferAmount.FromUnitsRoundingUp(20_000));
        Assert.Equal(0x416A, data.Field); // exponent 1, mantissa 362
        Assert.True(data.FieldIsTransferAmount);
        Assert.Equal(20_004, data.Amount.Units);
    }

    [Fact]
    public void The_issuer_makes_the_CTSA12_power_limit_token_and_refuses_watts_it_cannot_carry_exactly()
    {
        // STS 531-1-0-02 CTSA12 step 4 (NectarAPI/tokens-service transcription): 20 000 W carried as 20 004 W.
        var key = Vectors.Dkga02Key(Vectors.Meter1);
        uint tid = Vectors.Tid(2004, 4, 1, 7, 15);
        Assert.Equal("49240429350369491663", StsTokenIssuer.IssuePowerLimitToken(key, EncryptionAlgorithm.Sta, BaseDate.Y1993, ManagementSubclass.SetMaximumPowerLimit, tid, 20_004, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => StsTokenIssuer.IssuePowerLimitToken(key, EncryptionAlgorithm.Sta, BaseDate.Y1993, ManagementSubclass.SetMaximumPowerLimit, tid, 20_000, 5));
    }

    [Fact]
    public void A_power_limit_refuses_a_subclass_that_is_not_a_limit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenData.PowerLimit(ManagementSubclass.ClearCredit, 5, 1, TransferAmount.FromUnitsExact(1)));
    }
}
