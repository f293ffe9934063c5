using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Vending;
using Prepay.Vending.Vends;

namespace Prepay.Server.Demo;

/// <summary>
/// Two weeks of life for the demo customer's meter, so the portal has something to show at once: purchases made
/// through <see cref="VendingService"/> at past instants (real tokens, real ledger postings, sold by the online
/// payments vendor), and a reading every 15 minutes of a household's daily load shape, seeded, whose credit falls
/// with use and rises when a token is typed. The meter's status is its last reading.
/// </summary>
internal static class DemoHistory
{
    public const int Days = 14;

    private static readonly (int DaysAgo, int Hour, string Amount)[] Purchases = [(14, 7, "200.00"), (10, 18, "150.00"), (6, 19, "150.00"), (2, 18, "100.00")];

    // Watts by local hour: night, a morning peak, the day, the evening peak (cooking, geysers, lights).
    private static readonly int[] LoadW = [120, 120, 120, 120, 120, 300, 1300, 1300, 250, 250, 250, 250, 250, 250, 250, 250, 250, 800, 1500, 1500, 1500, 600, 600, 200];

    /// <summary>A clock stopped at an instant: services made with it write the past, as seeding a history must.</summary>
    public static IClock ClockAt(Instant at) => new FixedClock(at);

    private sealed class FixedClock(Instant at) : IClock
    {
        public Instant GetCurrentInstant() => at;
    }

    public static async Task SeedAsync(IServiceProvider services, PrepayDb db, Guid meterId, string meterNumber, Guid vendorId, DateTimeZone zone, Instant now, CancellationToken ct)
    {
        var vends = new List<(Instant At, long EnergyWh)>();
        var today = now.InZone(zone).Date;
        foreach (var (daysAgo, hour, amount) in Purchases)
        {
            var at = zone.AtStrictly(today.PlusDays(-daysAgo).At(new LocalTime(hour, 0))).ToInstant();
            var vending = ActivatorUtilities.CreateInstance<VendingService>(services, new FixedClock(at));
            var (command, errors) = VendCommand.From($"demo-history-{daysAgo}", new Vending.Contracts.VendRequest(meterNumber, null, null, amount, "ZAR", "portal", $"demo-{daysAgo}"), vending.MaxAmountMinor);
            var outcome = command is null ? null : await vending.VendAsync(command, new Actor(Guid.Empty, "demo-seed", Role.App, vendorId, null), ct);
            if (outcome is not VendOutcome.Created created)
            {
                throw new InvalidOperationException($"The demo history's purchase of {amount} failed: {outcome?.ToString() ?? string.Join("; ", errors.Keys)}");
            }
            vends.Add((at, created.Vend.EnergyWh));
        }

        var random = new Random(101);
        var step = Duration.FromMinutes(15);
        var first = vends[0].At + step;
        var last = Instant.FromUnixTimeTicks(now.ToUnixTimeTicks() / step.BclCompatibleTicks * step.BclCompatibleTicks);
        long credit = 0, register = 4_521_000;
        var next = 0;
        var readings = new List<IntervalReading>();
        for (var at = first; at <= last; at += step)
        {
            // A token is typed on the keypad within a quarter of an hour of its purchase.
            while (next < vends.Count && vends[next].At < at)
            {
                credit += vends[next++].EnergyWh;
            }
            var watts = LoadW[(at - Duration.Epsilon).InZone(zone).Hour] * random.Next(70, 131) / 100;
            var used = credit > 0 ? Math.Min(credit, watts / 4) : 0; // W over a quarter of an hour is W/4 Wh; no credit, no supply
            credit -= used;
            register += used;
            readings.Add(new IntervalReading
            {
                MeterId = meterId, At = at, EnergyWh = register, DeltaWh = used, CreditWh = credit,
                VoltageDv = 2280 + random.Next(0, 60), CurrentMa = used > 0 ? watts * 1000 / 230 : 0, PowerW = used > 0 ? watts : 0,
            });
        }
        db.Readings.AddRange(readings);
        if (readings.Count > 0 && !await db.MeterStatus.AnyAsync(s => s.MeterId == meterId, ct))
        {
            db.MeterStatus.Add(new MeterStatusRecord
            {
                MeterId = meterId, Online = true, LastSeenAt = readings[^1].At, Relay = credit > 0 ? "connected" : "disconnected",
                CreditWh = credit, EnergyWh = register,
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
