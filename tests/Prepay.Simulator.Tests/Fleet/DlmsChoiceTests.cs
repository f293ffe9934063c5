using Prepay.Dlms;
using Prepay.Meter.Load;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Fleet;
using Prepay.Simulator.Tokens;

namespace Prepay.Simulator.Tests.Fleet;

/// <summary>Which meters of a fleet run on DLMS, under which system title, and the options that allow it.</summary>
public sealed class DlmsChoiceTests
{
    private static FleetMeter Meter(string number, bool takesTokens) =>
        new(number, IsSmart: true, DecoderKeys.None, LoadShape.Residential, new AgentEndpoint("127.0.0.1", 1883, "pw"), new byte[32], takesTokens);

    [Fact]
    public void The_share_is_rounded_to_whole_meters_and_taken_in_order_among_meters_that_take_tokens()
    {
        FleetMeter[] fleet = [Meter("1", false), Meter("2", true), Meter("3", true), Meter("4", false), Meter("5", true), Meter("6", true)];

        Assert.Empty(Simulator.Fleet.Fleet.DlmsMeters(fleet, 0));
        Assert.Equal(["2"], Simulator.Fleet.Fleet.DlmsMeters(fleet, 0.1)); // 0.6 of a meter rounds to one
        Assert.Equal(["2", "3", "5"], Simulator.Fleet.Fleet.DlmsMeters(fleet, 0.5));
        Assert.Equal(["2", "3", "5", "6"], Simulator.Fleet.Fleet.DlmsMeters(fleet, 1)); // only four can
    }

    [Fact]
    public void A_meters_system_title_is_PRM_and_its_number_in_five_bytes_or_a_hash_of_a_number_that_does_not_fit()
    {
        Assert.Equal(Octets.FromHex("50524D0000000001"), DlmsMeterAgent.SystemTitleFor("1"));
        // The demo's meters and the simulator's extra ones share their last ten digits, not their titles.
        Assert.Equal(Octets.FromHex("50524D02540BE401"), DlmsMeterAgent.SystemTitleFor("10000000001"));
        Assert.Equal(Octets.FromHex("50524D04A817C801"), DlmsMeterAgent.SystemTitleFor("20000000001"));
        Assert.Equal(Octets.FromHex("50524D5D21DBA000"), DlmsMeterAgent.SystemTitleFor("0400000000000"));
        var lettered = DlmsMeterAgent.SystemTitleFor("ABC-0000000001X");
        Assert.Equal(8, lettered.Length);
        Assert.Equal(Octets.FromHex("50524D"), new Octets(lettered.Span[..3]));
        Assert.NotEqual(lettered, DlmsMeterAgent.SystemTitleFor("ABC-0000000002X"));
        Assert.NotEqual(DlmsMeterAgent.SystemTitleFor("1099511627776"), DlmsMeterAgent.SystemTitleFor("0")); // 2^40 does not wrap to 0
    }

    [Fact]
    public void A_dlms_share_needs_keys_and_lies_between_0_and_1_and_keys_are_never_printed()
    {
        var keys = DlmsFleetKeys.TryParse("000102030405060708090A0B0C0D0E0F", "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF", out var problem);
        Assert.NotNull(keys);
        Assert.Null(problem);
        Assert.DoesNotContain("0001", keys.ToString(), StringComparison.Ordinal);
        Assert.Null(DlmsFleetKeys.TryParse("0001", "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF", out problem));
        Assert.NotNull(problem);

        Assert.Null(new FleetOptions().Validate());
        Assert.NotNull(new FleetOptions { DlmsShare = 0.5 }.Validate());
        Assert.Null(new FleetOptions { DlmsShare = 0.5, DlmsKeys = keys }.Validate());
        Assert.NotNull(new FleetOptions { DlmsShare = 1.5, DlmsKeys = keys }.Validate());
        Assert.NotNull(new FleetOptions { DlmsShare = -0.1, DlmsKeys = keys }.Validate());
    }
}
