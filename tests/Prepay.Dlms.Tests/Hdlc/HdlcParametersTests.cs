using CsCheck;
using Prepay.Dlms.Hdlc;

namespace Prepay.Dlms.Tests.Hdlc;

public sealed class HdlcParametersTests
{
    [Fact]
    public void Kmethy_ua_negotiates_128_byte_fields_and_windows_of_one()
    {
        var ua = HdlcFrame.Decode(Hex.Bytes(HdlcTests.KmethyUa));

        var parameters = HdlcParameters.Decode(ua.Information.Span);

        Assert.Equal(new HdlcParameters(128, 128, 1, 1), parameters);
        Assert.Equal(ua.Information, parameters.Encode());
    }

    [Fact]
    public void An_empty_snrm_information_field_means_the_defaults()
    {
        var snrm = HdlcFrame.Decode(Hex.Bytes(HdlcTests.KmethySnrm));

        Assert.Equal(new HdlcParameters(), HdlcParameters.Decode(snrm.Information.Span));
    }

    [Fact]
    public void One_byte_values_and_unknown_parameters_are_read()
    {
        Assert.Equal(new HdlcParameters(0xF8, 128, 7, 1), HdlcParameters.Decode(Hex.Bytes("81 80 09 05 01 F8 07 01 07 0B 01 02")));
    }

    [Fact]
    public void Parameters_round_trip_and_malformed_fields_raise_only_format_errors()
    {
        Gen.Select(Gen.Int[0, 0xFFFF], Gen.Int[0, 0xFFFF], Gen.Int[0, int.MaxValue], Gen.Int[0, 7]).Sample(t =>
        {
            var parameters = new HdlcParameters(t.Item1, t.Item2, t.Item3, t.Item4);
            Assert.Equal(parameters, HdlcParameters.Decode(parameters.Encode().Span));
        });
        FuzzTests.Mutations(new HdlcParameters().Encode().ToArray()).Sample(b => FuzzTests.OnlyFormatErrors(() => HdlcParameters.Decode(b)), iter: 20_000);
    }
}
