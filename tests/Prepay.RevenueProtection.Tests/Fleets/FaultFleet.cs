using System.Globalization;
using NodaTime;
using Prepay.Meter.Commands;
using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection.Tests.Fleets;

/// <summary>
/// A fleet of sites of real virtual meters over some weeks, with faults injected into a share of them and harmless
/// look-alikes into others (a remote disconnection with nothing counted, a single overload trip, a voltage blip, a
/// household's own outage, a customer who lets the credit run out), and the truth of what was injected. The seed
/// decides everything: which meters, which faults, when.
/// </summary>
internal sealed class FaultFleet
{
    private FaultFleet(IReadOnlyList<SiteObservations> sites, Interval window, Truth truth)
    {
        Sites = sites;
        Window = window;
        Truth = truth;
    }

    public IReadOnlyList<SiteObservations> Sites { get; }

    public Interval Window { get; }

    public Truth Truth { get; }

    public static FaultFleet Build(int seed, int sites = 6, int metersPerSite = 12, int days = 21)
    {
        var random = new Random(seed);
        var zone = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];
        var start = new LocalDateTime(2026, 4, 6, 0, 0).InZoneStrictly(zone).ToInstant() + Duration.FromDays(random.Next(60));
        var end = start + Duration.FromDays(days);
        var truth = new Truth();
        var observations = new List<SiteObservations>();
        Instant Between(Instant from, Instant to) => from + Duration.FromMinutes(random.Next((int)(to - from).TotalMinutes));
        for (var s = 0; s < sites; s++)
        {
            var site = string.Create(CultureInfo.InvariantCulture, $"SITE-{seed}-{s}");
            var meters = Enumerable.Range(0, metersPerSite)
                .Select(i => new FleetMeter(string.Create(CultureInfo.InvariantCulture, $"{seed:000}{s:00}{i:000}"), random.NextDouble() < 0.7 ? CreditPath.Smart : CreditPath.Keypad,
                    seed * 1_000L + s * 100 + i, start, random))
                .ToList();
            foreach (var m in meters)
            {
                var number = m.Number.Value;
                var fault = random.Next(15);
                switch (fault)
                {
                    case 0:
                        truth.Meter(FindingKind.Tamper, number);
                        var tamperAt = Between(start, end - Duration.FromDays(1));
                        m.At(tamperAt, () => m.Take(random.NextDouble() < 0.5 ? m.Meter.OpenCover() : m.Meter.ApplyMagnet()));
                        m.At(tamperAt + Duration.FromHours(2 + random.Next(20)), () => m.Apply(new ClearTamper(m.NextCommandId())));
                        break;
                    case 1:
                        truth.Meter(FindingKind.BypassSuspected, number);
                        m.At(Between(start + Duration.FromDays(9), end - Duration.FromDays(5)), () => m.Bypass(2 + random.Next(8)));
                        break;
                    case 2:
                        truth.Meter(FindingKind.ConsumptionWhileDisconnected, number);
                        m.Bridged = true;
                        var bridgedFor = Duration.FromHours(6 + random.Next(18));
                        m.WhenSupplied(Between(start, end - Duration.FromDays(2)), () => Disconnect(m, m.Meter.Now, bridgedFor));
                        break;
                    case 3:
                        truth.Meter(FindingKind.PersistentOverload, number);
                        var overloadFor = Duration.FromHours(2 + random.Next(5));
                        m.WhenSupplied(Between(start, end - Duration.FromDays(1)), () =>
                        {
                            m.Take(m.Meter.SetExtraLoad(12_000));
                            m.At(m.Meter.Now + overloadFor, () => m.Take(m.Meter.SetExtraLoad(0)));
                        });
                        break;
                    case 4:
                        truth.Meter(FindingKind.AbnormalVoltage, number);
                        var voltageAt = Between(start, end - Duration.FromDays(1));
                        var volts = random.NextDouble() < 0.5 ? 2_600 + random.Next(150) : 1_850 + random.Next(150);
                        m.At(voltageAt, () => m.Take(m.Meter.SetSupplyVoltage(volts)));
                        m.At(voltageAt + Duration.FromHours(2 + random.Next(7)), () => m.Take(m.Meter.SetSupplyVoltage(null)));
                        break;
                    case 5:
                        truth.Meter(FindingKind.StoppedReporting, number);
                        m.SilentFrom = Between(end - Duration.FromDays(3), end - Duration.FromHours(8));
                        break;
                    case 6:
                        var lostWh = 20_000 + random.Next(20_000);
                        m.At(Between(start, end - Duration.FromDays(4)), () => truth.Record(m.Path == CreditPath.Smart ? FindingKind.CreditNotRegistered : FindingKind.TokenNeverEntered,
                            number, m.Sell(m.Meter.Now, lostWh, registered: false).VendId));
                        break;
                    case 7:
                        var ghost = 900_000L + random.Next(99_999);
                        var reference = m.Path == CreditPath.Smart ? $"ghost-{ghost}" : ghost.ToString(CultureInfo.InvariantCulture);
                        truth.Record(FindingKind.UnexplainedCredit, number, reference);
                        m.At(Between(start, end - Duration.FromDays(1)), () => m.Credit(20_000 + random.Next(20_000), m.Path == CreditPath.Smart ? reference : null, m.Path == CreditPath.Keypad ? ghost : null));
                        break;
                    case 8 or 9 when m.Path == CreditPath.Keypad:
                        // A second vending system selling this meter tokens numbered its own way.
                        var replayAt = Between(start + Duration.FromDays(3), end - Duration.FromDays(1));
                        m.At(replayAt, () => truth.Record(FindingKind.TokenOutOfSequence, number, m.Sell(m.Meter.Now, 25_000, tokenId: 5_000 + random.Next(4_000)).VendId));
                        break;
                    default:
                        LookAlikes(m, random, start, end);
                        break;
                }
            }
            // A feeder lost: most of the site's meters together (for others, a household's own outage, one meter alone).
            if (random.NextDouble() < 0.5)
            {
                truth.Meter(FindingKind.SiteOutage, site);
                var outageAt = Between(start, end - Duration.FromDays(1));
                var back = outageAt + Duration.FromMinutes(30 + random.Next(150));
                foreach (var m in meters.Where(_ => random.NextDouble() < 0.8))
                {
                    var at = outageAt + Duration.FromSeconds(random.Next(90));
                    m.At(at, () => m.Take(m.Meter.CutPower()));
                    m.At(back + Duration.FromSeconds(random.Next(90)), () => m.Take(m.Meter.RestorePower()));
                }
            }
            for (var t = start; t < end;)
            {
                t += Duration.FromHours(6);
                foreach (var m in meters)
                {
                    m.RunTo(t < end ? t : end);
                }
            }
            observations.Add(new SiteObservations(site, [.. meters.Select(m => m.Observations())]));
        }
        return new FaultFleet(observations, new Interval(start, end), truth);
    }

    private static void Disconnect(FleetMeter m, Instant at, Duration @for)
    {
        m.At(at, () => m.Apply(new Disconnect(m.NextCommandId())));
        m.At(at + @for, () => m.Apply(new Connect(m.NextCommandId())));
    }

    // What a detector must tell from a fault: each happens to some of the sound meters.
    private static void LookAlikes(FleetMeter m, Random random, Instant start, Instant end)
    {
        Instant Between(Instant from, Instant to) => from + Duration.FromMinutes(random.Next((int)(to - from).TotalMinutes));
        if (random.NextDouble() < 0.3)
        {
            Disconnect(m, Between(start, end - Duration.FromDays(2)), Duration.FromHours(2 + random.Next(30)));
        }
        if (random.NextDouble() < 0.3)
        {
            var at = Between(start, end - Duration.FromDays(1));
            m.At(at, () => m.Take(m.Meter.SetExtraLoad(12_000)));
            m.At(at + Duration.FromMinutes(2), () => m.Take(m.Meter.SetExtraLoad(0)));
        }
        if (random.NextDouble() < 0.3)
        {
            var at = Between(start, end - Duration.FromDays(1));
            m.At(at, () => m.Take(m.Meter.SetSupplyVoltage(2_620)));
            m.At(at + Duration.FromMinutes(5 + random.Next(10)), () => m.Take(m.Meter.SetSupplyVoltage(null)));
        }
        if (random.NextDouble() < 0.15)
        {
            // The household's own outage, one still on at the end: a meter without mains reports nothing, rightly.
            var at = Between(end - Duration.FromDays(4), end - Duration.FromHours(1));
            m.At(at, () => m.Take(m.Meter.CutPower()));
            if (random.NextDouble() < 0.5)
            {
                m.At(at + Duration.FromHours(1 + random.Next(30)), () => m.Take(m.Meter.RestorePower()));
            }
        }
    }
}
