using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Samples;
using Prepay.Tariffs.TimeOfUse;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.Documents;

public class TariffDocumentJsonTests
{
    private const string FlatEnergy = """{ "type": "flat", "rate": "2.00" }""";

    private static TariffFormatException Refused(string json) =>
        Assert.Throws<TariffFormatException>(() => TariffDocumentJson.Parse(json));

    [Theory]
    [InlineData(TariffSamples.ResidentialFlat)]
    [InlineData(TariffSamples.ResidentialBlocks)]
    [InlineData(TariffSamples.CommercialTimeOfUse)]
    public void Every_sample_loads_and_survives_a_round_trip(string name)
    {
        var tariff = TariffSamples.Load(name);
        var written = TariffDocumentJson.Serialize(tariff);

        Assert.Equal(written, TariffDocumentJson.Serialize(TariffDocumentJson.Parse(written)));
    }

    [Fact]
    public void The_samples_are_the_three_kinds_of_tariff()
    {
        Assert.IsType<FlatRateCharge>(TariffSamples.Load(TariffSamples.ResidentialFlat).Energy);
        var blocks = TariffSamples.Load(TariffSamples.ResidentialBlocks);
        Assert.IsType<IncliningBlockCharge>(blocks.Energy);
        Assert.NotNull(blocks.FreeBasic);
        Assert.Single(blocks.FixedCharges);
        Assert.True(Assert.Single(blocks.Taxes).Inclusive);
        Assert.IsType<TimeOfUseCharge>(TariffSamples.Load(TariffSamples.CommercialTimeOfUse).Energy);
        Assert.Throws<ArgumentException>(() => TariffSamples.Load("nope"));
    }

    [Fact]
    public void Every_field_is_written_with_its_exact_value()
    {
        var json = TariffDocumentJson.Serialize(TariffSamples.Load(TariffSamples.ResidentialBlocks));

        Assert.Contains("\"rate\": \"3.105\"", json, StringComparison.Ordinal);
        Assert.Contains("\"uptoKwh\": 350", json, StringComparison.Ordinal);
        Assert.Contains("\"monthlyCap\": \"300.00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"timeZone\": \"Africa/Johannesburg\"", json, StringComparison.Ordinal);
        Assert.Contains("\"monthlyKwh\": 50", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_that_do_not_increase_are_refused_naming_the_block()
    {
        var e = Refused(Document("""
            { "type": "incliningBlock", "blocks": [ { "uptoKwh": 50, "rate": "1.00" }, { "uptoKwh": 50, "rate": "2.00" }, { "rate": "3.00" } ] }
            """));

        Assert.Equal("energy.blocks[1].uptoKwh", e.Field);
        Assert.Equal("energy.blocks[1].uptoKwh must be greater than the previous block", e.Message);
    }

    [Theory]
    [InlineData("""{ "type": "incliningBlock", "blocks": [ { "uptoKwh": 50, "rate": "1.00" }, { "rate": "2.00" }, { "rate": "3.00" } ] }""", "energy.blocks[1].uptoKwh", "is required")]
    [InlineData("""{ "type": "incliningBlock", "blocks": [ { "uptoKwh": 50, "rate": "1.00" }, { "uptoKwh": 60, "rate": "2.00" } ] }""", "energy.blocks[1].uptoKwh", "must be left out")]
    [InlineData("""{ "type": "incliningBlock", "blocks": [ ] }""", "energy.blocks", "at least one")]
    [InlineData("""{ "type": "flat", "rate": 2.5 }""", "energy.rate", "must be a string")]
    [InlineData("""{ "type": "flat", "rate": "2.0000001" }""", "energy.rate", "decimal places")]
    [InlineData("""{ "type": "flat", "rate": "0" }""", "energy.rate", "greater than 0")]
    [InlineData("""{ "type": "flat", "rate": "2.00", "rates": "3.00" }""", "energy.rates", "not a known field")]
    [InlineData("""{ "type": "stepped" }""", "energy.type", "must be")]
    public void A_bad_energy_charge_is_refused_naming_the_field(string energy, string field, string problem)
    {
        var e = Refused(Document(energy));

        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "code": "X", "name": "X", "version": 1, "effectiveFrom": "2026-07-01", "timeZone": "Africa/Johannesburg", "energy": {"type":"flat","rate":"1"} }""", "currency", "is required")]
    [InlineData("""{ "code": "X", "name": "X", "version": 1, "effectiveFrom": "2026-07-01", "timeZone": "Mars/Olympus", "currency": "ZAR", "energy": {"type":"flat","rate":"1"} }""", "timeZone", "IANA")]
    [InlineData("""{ "code": "X", "name": "X", "version": 1, "effectiveFrom": "2026-02-30", "timeZone": "UTC", "currency": "ZAR", "energy": {"type":"flat","rate":"1"} }""", "effectiveFrom", "date")]
    [InlineData("""{ "code": "X", "name": "X", "version": 0, "effectiveFrom": "2026-07-01", "timeZone": "UTC", "currency": "ZAR", "energy": {"type":"flat","rate":"1"} }""", "version", "from 1")]
    [InlineData("""{ "code": "X", "name": "X", "version": 1, "effectiveFrom": "2026-07-01", "timeZone": "UTC", "currency": "ZZZ", "energy": {"type":"flat","rate":"1"} }""", "currency", "ISO 4217")]
    [InlineData("""{ "code": "X", "name": "X", "version": 1.5, "effectiveFrom": "2026-07-01", "timeZone": "UTC", "currency": "ZAR", "energy": {"type":"flat","rate":"1"} }""", "version", "whole number")]
    [InlineData("""[ 1 ]""", "(document)", "JSON object")]
    [InlineData("""{ "code": """, "(document)", "not valid JSON")]
    [InlineData("""{ "code": "X", "code": "Y" }""", "(document)", "not valid JSON")]
    public void A_bad_header_is_refused_naming_the_field(string json, string field, string problem)
    {
        var e = Refused(json);

        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(""", "taxes": [ { "name": "VAT", "percent": "15" } ]""", "taxes[0].inclusive", "is required")]
    [InlineData(""", "taxes": [ { "name": "VAT", "percent": "15", "inclusive": true }, { "name": "VAT", "percent": "1", "inclusive": true } ]""", "taxes[1].name", "used twice")]
    [InlineData(""", "fixedCharges": [ { "name": "S", "per": "week", "amount": "1.00" } ]""", "fixedCharges[0].per", "\"day\" or \"month\"")]
    [InlineData(""", "fixedCharges": [ { "name": "S", "per": "day", "amount": "1.001" } ]""", "fixedCharges[0].amount", "more than 2 decimal places")]
    [InlineData(""", "debtRecovery": { "percent": "120" }""", "debtRecovery.percent", "at most 100")]
    [InlineData(""", "debtRecovery": { "percent": "20", "monthlyCap": "0.00" }""", "debtRecovery.monthlyCap", "greater than 0")]
    [InlineData(""", "freeBasic": { "monthlyKwh": 0 }""", "freeBasic.monthlyKwh", "from 1")]
    [InlineData(""", "colour": "blue" """, "colour", "not a known field")]
    public void A_bad_charge_tax_or_rule_is_refused_naming_the_field(string extra, string field, string problem)
    {
        var e = Refused(Document(FlatEnergy, extra));

        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01-01", "06-30", "07-02", "12-31", "energy.seasons", "no season covers 07-01")]
    [InlineData("01-01", "07-01", "07-01", "12-31", "energy.seasons[1]", "overlaps energy.seasons[0] on 07-01")]
    [InlineData("13-01", "07-01", "07-02", "12-31", "energy.seasons[0].from", "month and day")]
    public void Seasons_must_cover_the_year_exactly_once(string f1, string t1, string f2, string t2, string field, string problem)
    {
        var e = Assert.Throws<TariffFormatException>(() => TimeOfUse.TariffSamplesForTests.TwoSeasons(f1, t1, f2, t2));

        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[ { "from": "01:00", "period": "all" } ]""", "energy.seasons[0].weekday[0].from", "\"00:00\"")]
    [InlineData("""[ { "from": "00:00", "period": "all" }, { "from": "00:00", "period": "all" } ]""", "energy.seasons[0].weekday[1].from", "later than")]
    [InlineData("""[ { "from": "00:00", "period": "peak" } ]""", "energy.seasons[0].weekday[0].period", "no rate")]
    [InlineData("""[ { "from": "25:00", "period": "all" } ]""", "energy.seasons[0].weekday[0].from", "time of day")]
    public void A_day_schedule_must_start_at_midnight_and_name_known_periods(string weekday, string field, string problem)
    {
        var e = Refused(Document($$"""
            { "type": "timeOfUse", "seasons": [ { "name": "all", "from": "01-01", "to": "12-31", "rates": { "all": "1.00" },
              "weekday": {{weekday}}, "saturday": [ { "from": "00:00", "period": "all" } ], "sunday": [ { "from": "00:00", "period": "all" } ] } ] }
            """));

        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
