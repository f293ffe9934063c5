using System.Numerics;
using Microsoft.Extensions.Configuration;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Dlms;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>Exact scaling of registers, and keys that never show.</summary>
public sealed class DlmsValuesTests
{
    private const string BlockCipherHex = "000102030405060708090A0B0C0D0E0F";
    private const string AuthenticationHex = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF";

    [Theory]
    [InlineData(1234, 0, 1234)]
    [InlineData(12, 3, 12_000)]
    [InlineData(12_340, -1, 1234)]
    [InlineData(-500, -2, -5)]
    [InlineData(0, -30, 0)]
    public void A_register_scales_to_whole_watt_hours_exactly(long raw, sbyte scaler, long wattHours) =>
        Assert.Equal(new Energy(wattHours), EnergyScaling.ToEnergy(new DoubleLong((int)raw), new ScalerUnit(scaler, ScalerUnit.WattHour)).ValueOrThrow);

    [Theory]
    [InlineData(12_345, -1)]
    [InlineData(1, -19)]
    [InlineData(long.MaxValue / 5, 1)]
    [InlineData(1, 19)]
    public void A_scaler_that_would_round_or_overflow_is_refused(long raw, sbyte scaler)
    {
        var outcome = EnergyScaling.ToEnergy(new Long64(raw), new ScalerUnit(scaler, ScalerUnit.WattHour));
        Assert.Equal(DlmsProblem.UnusableValue, Assert.IsType<DlmsOutcome<Energy>.Rejected>(outcome).Problem);
    }

    [Fact]
    public void Another_unit_or_a_non_integer_value_is_refused()
    {
        Assert.False(EnergyScaling.ToEnergy(new DoubleLong(5), new ScalerUnit(0, ScalerUnit.Watt)).IsSuccess);
        Assert.False(EnergyScaling.ToEnergy(new Float64(5), new ScalerUnit(0, ScalerUnit.WattHour)).IsSuccess);
        Assert.False(EnergyScaling.ToEnergy(new DlmsEnum(5), new ScalerUnit(0, ScalerUnit.WattHour)).IsSuccess);
    }

    [Fact]
    public void Every_accepted_scaling_is_exact_and_every_refused_one_could_not_be()
    {
        var random = new Random(19);
        for (int i = 0; i < 20_000; i++)
        {
            long raw = random.Next(4) switch
            {
                0 => random.NextInt64(-1000, 1000),
                1 => random.NextInt64(-1000, 1000) * 1000,
                _ => random.NextInt64(long.MinValue, long.MaxValue),
            };
            var scaler = (sbyte)random.Next(-22, 23);
            var exact = raw * BigInteger.Pow(10, Math.Max(0, (int)scaler));
            var divisor = BigInteger.Pow(10, Math.Max(0, -scaler));
            bool representable = exact % divisor == 0 && exact / divisor >= long.MinValue && exact / divisor <= long.MaxValue;
            long? scaled = EnergyScaling.Scale(raw, scaler);
            Assert.Equal(representable, scaled.HasValue);
            if (scaled is { } value)
            {
                Assert.Equal(exact / divisor, new BigInteger(value));
            }
        }
    }

    [Fact]
    public void Keys_come_from_configuration_and_neither_they_nor_an_endpoint_print_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Keys:04000000101:BlockCipherKey"] = BlockCipherHex,
            ["Keys:04000000101:AuthenticationKey"] = AuthenticationHex,
            ["Keys:Default:Password"] = "secret-pw",
            ["Keys:04000000999:BlockCipherKey"] = "not-hex-at-all-XYZ",
            ["Keys:04000000999:AuthenticationKey"] = AuthenticationHex,
        }).Build();
        var provider = new ConfigurationDlmsKeyProvider(configuration.GetSection("Keys"));

        var keys = provider.KeysFor(MeterNumber.Parse("04000000101"));
        Assert.True(keys is { HasGmacKeys: true });
        Assert.True(provider.KeysFor(MeterNumber.Parse("04000000102")) is { HasPassword: true, HasGmacKeys: false });
        var bad = Assert.Throws<InvalidOperationException>(() => provider.KeysFor(MeterNumber.Parse("04000000999")));
        Assert.DoesNotContain("XYZ", bad.Message, StringComparison.Ordinal);

        var endpoint = new DlmsMeterEndpoint { Meter = MeterNumber.Parse("04000000101"), Host = "meter.example" };
        foreach (var printed in new[] { keys!.ToString(), endpoint.ToString(), new DlmsPushSender(endpoint.Meter, keys).ToString() })
        {
            Assert.DoesNotContain(BlockCipherHex, printed, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(AuthenticationHex, printed, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secret-pw", printed, StringComparison.Ordinal);
        }
    }
}
