using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using Xunit;
using static Prepay.Sts.Tests.Vectors;

namespace Prepay.Sts.Tests;

/// <summary>
/// The TransferAmount steps of STS 531-1-0-02 (EA07, DKGA-02, meter 1, RND 5), as transcribed in
/// NectarAPI/tokens-service src/test/java/ke/co/nectar/token/domain/token/STSComplianceTests_STS_531_1_0_02_CTSA{10,
/// 12,13,21,22}.java. IEC 62055-41 §6.3.5 (TransferAmount): the amount carried is the next representable one at or
/// above the amount asked, so most of these amounts only reproduce rounded up (a token for 2 000.0 kWh carries
/// 2 000.4 kWh). The power limits of CTSA12/13 are watts in the same format.
/// Amounts are in the token's units: 0.1 kWh / 0.1 m³ for credit (the source's kWh × 10), watts for the limits.
/// </summary>
public sealed class ConformanceVectors531_02AmountTests
{
    private static readonly DecoderKey Key1 = Dkga02Key(Meter1);

    // CTSA10: the same nine amounts for electricity (steps 1-9), water (10-18) and gas (19-27).
    [Theory]
    [InlineData("01/04/2004 00:30", 256, 256, "26456622012185850752", "44275716003808438853", "55421978213496083894")] // 25.6
    [InlineData("01/04/2004 00:35", 16_383, 16_383, "02194538019157867319", "18252763951429538816", "19542256788533803049")] // 1 638.3
    [InlineData("01/04/2004 00:40", 16_384, 16_384, "49848950875249585071", "27315011099256270180", "00240351248989131846")] // 1 638.4
    [InlineData("01/04/2004 00:45", 20_000, 20_004, "71997443697501228179", "63822263014624002901", "09767096307961035977")] // 2 000.0 → 2 000.4
    [InlineData("01/04/2004 00:50", 180_223, 180_224, "58589277912776864555", "09641054211308025667", "48113663060937699726")] // 18 022.3 → 18 022.4
    [InlineData("01/04/2004 00:55", 180_224, 180_224, "16328229234437142451", "44446096428101342168", "03981404420542897416")] // 18 022.4
    [InlineData("01/04/2004 01:44", 1_818_623, 1_818_624, "45001756646344378677", "28708466031297612806", "14196243940519813244")] // 181 862.3 → .4
    [InlineData("01/04/2004 01:49", 1_818_624, 1_818_624, "15810488151857362998", "10341114843091227763", "49902394914324621132")] // 181 862.4
    [InlineData("01/04/2004 01:54", 18_201_624, 18_201_624, "42222423067848970276", "05942777944950076038", "13610552847224033160")] // 1 820 162.4, the maximum
    public void Credit_amounts_round_up_as_in_CTSA10(string time, long asked, long carried, string electricity, string water, string gas)
    {
        Assert.Equal(carried, TransferAmount.FromUnitsRoundingUp(asked).Units);
        Assert.Equal(asked == carried, TransferAmount.TryFromUnitsExact(asked, out _));
        Assert.Equal(electricity, CreditRoundingUp(Key1, EncryptionAlgorithm.Sta, 0, Tid(time), asked));
        Assert.Equal(water, CreditRoundingUp(Key1, EncryptionAlgorithm.Sta, 1, Tid(time), asked));
        Assert.Equal(gas, CreditRoundingUp(Key1, EncryptionAlgorithm.Sta, 2, Tid(time), asked));
    }

    [Fact]
    public void The_meter_credits_the_amount_the_token_carries()
    {
        // CTSA10 step 4: asked 2 000.0 kWh, the token carries 2 000.4 kWh and the meter adds exactly that.
        var meter = new MeterDecoder(new MeterState { DecoderKey = Key1, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y1993 });
        Assert.Equal(KeypadResult.Accept, meter.Enter("71997443697501228179").Result);
        Assert.Equal(20_004, meter.State.CreditRegisters[0]);
    }

    // CTSA21 (water) and CTSA22 (gas): amounts across the exponent boundaries; the source writes m³ (units / 10).
    [Theory]
    [InlineData(1, "23/05/2005 10:01", 10, 10, "15415954497866603070")] // CTSA21 step 1: 1 m³
    [InlineData(1, "24/05/2005 10:02", 163_830, 163_834, "37577557589608193918")] // step 2: 16 383 m³
    [InlineData(1, "23/04/2006 23:10:03", 163_840, 163_844, "64605231735471529556")] // step 3: 16 384 m³ (seconds truncated)
    [InlineData(1, "24/04/2006 10:04", 1_802_240, 1_802_324, "61396462165248534316")] // step 4: 180 224 m³
    [InlineData(1, "24/04/2006 11:00", 18_186_240, 18_186_624, "27442853458265256809")] // step 5: 1 818 624 m³
    [InlineData(1, "24/04/2006 11:01", 1_822_620, 1_822_624, "60366325560961667086")] // step 6: 182 262 m³
    [InlineData(1, "24/04/2006 11:02", 1_822_640, 1_823_624, "49837510367703553651")] // step 7: 182 264 m³
    [InlineData(1, "24/04/2006 11:03", 1_820_240, 1_820_624, "65892074689465900210")] // step 8: 182 024 m³
    [InlineData(1, "24/04/2006 11:04", 1_825, 1_825, "31056801750423680816")] // step 9: 182.5 m³
    [InlineData(1, "24/04/2006 11:05", 16_738, 16_744, "20363556736975891316")] // step 10: 1 673.8 m³
    [InlineData(1, "24/04/2006 20:10", 0, 0, "16838670950350007721")] // step 11: 0
    [InlineData(1, "24/04/2006 11:00", 176_543, 176_544, "20884251612329507769")] // step 12: 17 654.3 m³
    [InlineData(1, "24/04/2006 20:12", 1_230, 1_230, "29433837651179279051")] // step 13: 123 m³
    [InlineData(1, "24/04/2006 20:14", 1_802_240, 1_802_324, "56221045810819914754")] // step 14: 180 224 m³
    [InlineData(1, "12/05/2006 20:15", 156_714, 156_714, "07426208391727345260")] // step 15: 15 671.4 m³
    [InlineData(2, "26/04/2006 10:01", 10, 10, "30790445533281098559")] // CTSA22 step 1: 1 m³
    [InlineData(2, "27/05/2006 10:02", 163_830, 163_834, "42894813892015838675")] // step 2: 16 383 m³
    [InlineData(2, "23/04/2007 10:03", 163_840, 163_844, "52434363099394415104")] // step 3: 16 384 m³
    [InlineData(2, "24/04/2007 10:04", 1_802_240, 1_802_324, "02188175533508938765")] // step 4: 180 224 m³
    [InlineData(2, "25/04/2007 11:00", 188_240, 188_324, "37844075275013703544")] // step 5: 18 824 m³
    [InlineData(2, "26/04/2007 11:01", 1_826_240, 1_826_624, "21792662786579369978")] // step 6: 182 624 m³
    [InlineData(2, "26/04/2007 11:02", 182_040, 182_124, "49679852898684944605")] // step 7: 18 204 m³
    [InlineData(2, "26/04/2007 11:03", 426_240, 426_324, "23701256401082544774")] // step 8: 42 624 m³
    [InlineData(2, "26/04/2007 11:04", 1_820_440, 1_820_624, "37625880630538746268")] // step 9: 182 044 m³
    [InlineData(2, "26/04/2007 11:05", 178_140, 178_144, "41502904237047264837")] // step 10: 17 814 m³
    [InlineData(2, "26/04/2007 20:10", 1_203_450, 1_203_524, "69115163697886873528")] // step 11: 120 345 m³
    [InlineData(2, "26/04/2007 11:00", 104_490, 104_494, "57141025105111259130")] // step 12: 10 449 m³
    [InlineData(2, "26/04/2007 20:12", 124_490, 124_494, "07841085711493671481")] // step 13: 12 449 m³
    [InlineData(2, "26/04/2007 20:14", 802_240, 802_324, "53540735038206224963")] // step 14: 80 224 m³
    [InlineData(2, "26/04/2007 20:15", 1_204_140, 1_204_224, "64397019565756691049")] // step 15: 120 414 m³
    public void Water_and_gas_amounts_round_up_as_in_CTSA21_and_CTSA22(int subclass, string time, long asked, long carried, string expected)
    {
        Assert.Equal(carried, TransferAmount.FromUnitsRoundingUp(asked).Units);
        Assert.Equal(expected, CreditRoundingUp(Key1, EncryptionAlgorithm.Sta, subclass, Tid(time), asked));
    }

    // CTSA12 (set maximum power limit, 07:00..07:40) and CTSA13 (set maximum phase power unbalance limit,
    // 08:00..08:40) on 01/04/2004: the same nine limits in watts, carried in the TransferAmount format.
    [Theory]
    [InlineData(0, 256, 256, "41932934023937597177", "31529222328157245680")] // step 1
    [InlineData(5, 16_383, 16_383, "39962525051716972228", "73693330413053816261")] // step 2
    [InlineData(10, 16_384, 16_384, "49726922948713857933", "54550534704168942701")] // step 3
    [InlineData(15, 20_000, 20_004, "49240429350369491663", "59764600311380323340")] // step 4
    [InlineData(20, 180_223, 180_224, "59901462710025767433", "40345762458084906193")] // step 5
    [InlineData(25, 180_224, 180_224, "19230023168014606006", "66940669945224810632")] // step 6
    [InlineData(30, 1_818_623, 1_818_624, "15202793104399278539", "39456295247583474882")] // step 7
    [InlineData(35, 1_818_624, 1_818_624, "39289527337368539951", "71498975780521030688")] // step 8
    [InlineData(40, 18_201_624, 18_201_624, "64902502692705103624", "57078032150370797843")] // step 9
    public void Power_limits_are_watts_in_the_amount_format_as_in_CTSA12_and_CTSA13(int minute, long watts, long carried, string mpl, string mppul)
    {
        var limit = TransferAmount.FromUnitsRoundingUp(watts);
        Assert.Equal(carried, limit.Units);
        Assert.Equal(mpl, Encode(Key1, EncryptionAlgorithm.Sta, TokenData.PowerLimit(ManagementSubclass.SetMaximumPowerLimit, 5, Tid(2004, 4, 1, 7, minute), limit)));
        Assert.Equal(mppul, Encode(Key1, EncryptionAlgorithm.Sta, TokenData.PowerLimit(ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, 5, Tid(2004, 4, 1, 8, minute), limit)));
    }

    [Fact]
    public void The_meter_reads_a_power_limit_in_the_amount_format()
    {
        // CTSA12 step 4: 20 000 W asked, 20 004 W carried; the plain 16-bit reading would give 16 746 W.
        var meter = new MeterDecoder(new MeterState { DecoderKey = Key1, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y1993 });
        var entry = meter.Enter("49240429350369491663");
        Assert.Equal(KeypadResult.Accept, entry.Result);
        Assert.True(entry.Data!.Value.FieldIsTransferAmount);
        Assert.Equal(20_004, meter.State.MaximumPowerLimit);
        Assert.Equal(KeypadResult.Accept, meter.Enter("40345762458084906193").Result); // CTSA13 step 5
        Assert.Equal(180_224, meter.State.MaximumPhasePowerUnbalanceLimit);
    }
}
