using CsCheck;
using Prepay.Dlms.Apdus;

namespace Prepay.Dlms.Tests.Apdus;

public sealed class ApduRoundTripProperties
{
    [Fact]
    public void Every_apdu_with_every_field_decodes_to_itself_after_encoding()
    {
        ApduGenerators.Any.Sample(apdu =>
        {
            byte[] bytes = apdu.Encode();
            Assert.Equal((byte)apdu.Tag, bytes[0]);
            Assert.Equal(apdu, Apdu.Decode(bytes));
        }, iter: 20_000);
    }

    [Fact]
    public void Every_variant_is_generated()
    {
        var seen = ApduGenerators.Any.Array[4_000].Single().Select(a => a.GetType()).ToHashSet();
        var all = typeof(Apdu).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Apdu)) && !t.IsAbstract);
        Assert.Empty(all.Except(seen));
    }

    [Fact]
    public void Random_bytes_after_every_apdu_tag_raise_only_format_errors()
    {
        byte[] tags = Enumerable.Range(0, 256).Select(i => (byte)i).Where(ApduDecoder.IsSupported).ToArray();
        Gen.Select(Generators.Pick(tags), FuzzTests.RandomBytes).Sample(t =>
            FuzzTests.OnlyFormatErrors(() => Apdu.Decode([t.Item1, .. t.Item2])), iter: 60_000);
    }

    [Fact]
    public void Mutated_apdus_raise_only_format_errors()
    {
        var seeds = ApduGenerators.Any.Array[60].Single().Select(a => a.Encode()).ToArray();
        FuzzTests.Mutations(seeds).Sample(bytes => FuzzTests.OnlyFormatErrors(() => Apdu.Decode(bytes)), iter: 60_000);
    }

    [Fact]
    public void Random_bytes_raise_only_format_errors()
    {
        FuzzTests.RandomBytes.Sample(bytes => FuzzTests.OnlyFormatErrors(() => Apdu.Decode(bytes)), iter: 50_000);
    }
}
