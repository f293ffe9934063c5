using Microsoft.Extensions.Configuration;
using NodaTime;
using Prepay.HeadEnd.Ingest.Quality;

namespace Prepay.HeadEnd.Tests;

public sealed class VeeConfigurationTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_MeterData_Vee_section_sets_what_it_names_and_leaves_the_rest_at_its_defaults()
    {
        var options = VeeConfiguration.From(Settings(
            ("MeterData:Vee:ClockDriftTolerance", "00:00:30"), ("MeterData:Vee:DefaultMaxCurrentA", "60"),
            ("MeterData:Vee:Estimate", "false"), ("MeterData:Vee:DisabledRules:0", "clock-drift")));
        Assert.Equal(Duration.FromSeconds(30), options.ClockDriftTolerance);
        Assert.Equal(60, options.DefaultMaxCurrentA);
        Assert.False(options.Estimate);
        Assert.Equal(["clock-drift"], options.DisabledRules);
        Assert.Equal(Duration.FromMinutes(15), options.IntervalLength);
        Assert.Equal(230, options.DefaultVoltageV);
    }

    [Fact]
    public void Gaps_are_estimated_on_ingestion_unless_switched_off() =>
        Assert.True(VeeConfiguration.From(Settings()).Estimate);

    [Fact]
    public void A_setting_out_of_its_limits_stops_the_start_with_its_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => VeeConfiguration.From(Settings(("MeterData:Vee:DefaultVoltageV", "0"))));
        Assert.Contains("DefaultVoltageV", e.Message, StringComparison.Ordinal);
    }
}
