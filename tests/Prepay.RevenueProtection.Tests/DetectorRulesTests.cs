using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection.Tests;

/// <summary>The detectors' rules on records made by hand: where a boundary falls, what explains a silence or a sale.</summary>
public sealed class DetectorRulesTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 5, 4, 0, 0);
    private static readonly Interval Day = new(T0, T0 + Duration.FromDays(1));

    private static Instant Q(int quarter) => T0 + Duration.FromMinutes(15 * quarter);

    private static List<ReadingPoint> Readings(int from, int to, Func<int, long> wh) =>
        [.. Enumerable.Range(from, to - from + 1).Select(q => new ReadingPoint(Q(q), wh(q), 2300, 500))];

    private static MeterObservations Meter(string number, List<ReadingPoint>? readings = null, List<EventPoint>? events = null, List<SalePoint>? sales = null, List<RegisteredCredit>? registered = null, CreditPath path = CreditPath.Smart) =>
        new(MeterNumber.Parse(number), path, readings ?? Readings(1, 96, _ => 100), events ?? [], sales ?? [], registered ?? []);

    private static IReadOnlyList<Finding> Detect(params MeterObservations[] meters) => RevenueDetectors.Detect(new SiteObservations("S", meters), Day);

    [Fact]
    public void Energy_counts_against_an_open_relay_only_in_intervals_wholly_inside_the_open_span()
    {
        // Opened at 10:05, closed at 11:00: the 10:00-10:15 interval straddles the opening, 10:15-11:00 lie inside.
        List<EventPoint> events = [new(1, Q(40) + Duration.FromMinutes(5), EventTypes.RelayOpened), new(2, Q(44), EventTypes.RelayClosed)];
        var bridged = Meter("M1", Readings(1, 96, q => q is >= 41 and <= 44 ? 80 : 100), events);
        var straddling = Meter("M2", Readings(1, 96, q => q == 41 ? 80 : q is >= 42 and <= 44 ? 0 : 100), events);

        var finding = Assert.Single(Detect(bridged), f => f.Kind == FindingKind.ConsumptionWhileDisconnected);
        Assert.Equal([Q(42), Q(43), Q(44)], finding.Evidence.Select(e => e.At));
        Assert.DoesNotContain(Detect(straddling), f => f.Kind == FindingKind.ConsumptionWhileDisconnected);
    }

    [Fact]
    public void A_meter_silent_for_hours_is_found_unless_its_own_outage_explains_it_or_the_whole_site_is_silent()
    {
        var silent = Meter("M1", Readings(1, 60, _ => 100));
        var inOutage = Meter("M2", Readings(1, 60, _ => 100), [new(1, Q(60) + Duration.FromMinutes(1), EventTypes.PowerOutage)]);
        var reporting = Meter("M3");

        var found = Detect(silent, inOutage, reporting).Where(f => f.Kind == FindingKind.StoppedReporting).ToList();
        Assert.Equal(["M1"], found.Select(f => f.Meter!.Value.Value));
        Assert.Equal(Q(60), found[0].Period.Start);
        Assert.DoesNotContain(Detect(silent, Meter("M4", Readings(1, 60, _ => 100))), f => f.Kind == FindingKind.StoppedReporting);
    }

    [Fact]
    public void Registrations_are_matched_by_vend_then_token_id_then_energy_and_what_is_left_on_either_side_is_found()
    {
        var start = T0 - Duration.FromDays(3);
        var window = new Interval(start, T0 + Duration.FromDays(1));
        SalePoint Sale(string vend, int hour, long wh, long? tid = null) => new(vend, start + Duration.FromHours(hour), new Energy(wh), tid);
        var meter = new MeterObservations(MeterNumber.Parse("M1"), CreditPath.Keypad, Readings(-300, 96, _ => 100), [],
            [Sale("v1", 1, 10_000, 101), Sale("v2", 2, 20_000, 102), Sale("v3", 3, 30_000, 103), Sale("v4", 4, 40_000, 99)],
            [
                new RegisteredCredit(start + Duration.FromHours(5), new Energy(10_000), "v1", null),
                new RegisteredCredit(start + Duration.FromHours(6), new Energy(20_000), null, 102),
                new RegisteredCredit(start + Duration.FromHours(7), new Energy(30_000), null, null),
                new RegisteredCredit(start + Duration.FromHours(8), new Energy(50_000), null, 777),
            ]);

        var found = RevenueDetectors.Detect(new SiteObservations("S", [meter]), window);

        Assert.Equal("777", Assert.Single(found, f => f.Kind == FindingKind.UnexplainedCredit).Evidence[0].Reference);
        Assert.Equal("v4", Assert.Single(found, f => f.Kind == FindingKind.TokenNeverEntered).Evidence[0].Reference);
        Assert.Equal("v4", Assert.Single(found, f => f.Kind == FindingKind.TokenOutOfSequence).Evidence[0].Reference);
    }

    [Fact]
    public void A_keypad_vend_of_several_tokens_is_entered_when_its_tokens_are_whatever_their_count_or_order()
    {
        // A keypad meter's tokenAccepted names neither vend nor token id, only the token's energy. A sale above
        // 1 638.3 kWh is two tokens (Vending's CreditSplit: the largest exact amount, then the rest), a key change comes
        // first as tokens of no energy, and a sale whose money all went to debt (v0) is one token of none: none of that
        // is a token sold and never entered, nor credit nobody sold.
        var start = T0 - Duration.FromDays(3);
        var window = new Interval(start, T0 + Duration.FromDays(1));
        SalePoint Sale(string vend, int hour, long wh, long tid) => new(vend, start + Duration.FromHours(hour), new Energy(wh), tid);
        RegisteredCredit Typed(int hour, int minute, long wh) => new(start + Duration.FromHours(hour) + Duration.FromMinutes(minute), new Energy(wh), null, null);
        List<SalePoint> sales = [Sale("v1", 1, 1_650_100, 101), Sale("v0", 10, 0, 103), Sale("v2", 30, 1_700_300, 104), Sale("v3", 50, 2_000_500, 106)];
        List<RegisteredCredit> entered =
        [
            Typed(1, 5, 0), Typed(1, 6, 0), Typed(1, 7, 1_650_000), Typed(1, 8, 100),
            Typed(30, 40, 1_700_000), Typed(30, 41, 300),
            Typed(52, 0, 500), Typed(52, 1, 2_000_000), // the small one typed first
        ];
        MeterObservations Keypad(List<RegisteredCredit> registered) =>
            new(MeterNumber.Parse("M1"), CreditPath.Keypad, Readings(-300, 96, _ => 100), [], sales, registered);
        FindingKind[] ghosts = [FindingKind.TokenNeverEntered, FindingKind.UnexplainedCredit, FindingKind.TokenOutOfSequence];

        var allEntered = RevenueDetectors.Detect(new SiteObservations("S", [Keypad(entered)]), window);
        var oneMissing = RevenueDetectors.Detect(new SiteObservations("S", [Keypad([.. entered.Where(r => r.Energy.WattHours != 100)])]), window);

        Assert.DoesNotContain(allEntered, f => ghosts.Contains(f.Kind));
        Assert.Equal("v1", Assert.Single(oneMissing, f => f.Kind == FindingKind.TokenNeverEntered).Evidence[0].Reference);
    }

    [Fact]
    public void Outages_make_a_site_outage_when_enough_of_the_site_loses_supply_together()
    {
        MeterObservations Out(string n, int minutes) => Meter(n, events: [new(1, Q(20) + Duration.FromMinutes(minutes), EventTypes.PowerOutage)]);

        var together = Detect(Out("M1", 0), Out("M2", 2), Out("M3", 4), Meter("M4"));
        var apart = Detect(Out("M1", 0), Out("M2", 30), Out("M3", 60), Meter("M4"));

        var outage = Assert.Single(together, f => f.Kind == FindingKind.SiteOutage);
        Assert.Null(outage.Meter);
        Assert.Equal(3, outage.Evidence.Count);
        Assert.DoesNotContain(apart, f => f.Kind == FindingKind.SiteOutage);
    }
}
