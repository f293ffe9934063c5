using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.Testing;

/// <summary>Meters' events and readings written straight into a test server's database, as the head-end would have stored them.</summary>
public static class MeterRecords
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task EventsAsync(ServerFixture server, IEnumerable<(string Meter, Instant At, string Type)> events)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        foreach (var (number, at, type) in events)
        {
            var id = await db.Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
            db.MeterEvents.Add(new MeterEventRecord { MeterId = id, At = at, Type = type, ReceivedAt = at });
        }
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>A reading every <paramref name="step"/> after <paramref name="from"/> up to <paramref name="to"/>, of <paramref name="wh"/>(its end) Wh.</summary>
    public static async Task ReadingsAsync(ServerFixture server, string meter, Instant from, Instant to, Duration step, Func<Instant, long> wh, long creditWh = 10_000, int powerW = 0)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(wh);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var id = await db.Meters.Where(m => m.MeterNumber == meter).Select(m => m.Id).SingleAsync(Ct);
        for (var at = from + step; at <= to; at += step)
        {
            db.Readings.Add(new IntervalReading { MeterId = id, At = at, DeltaWh = wh(at), CreditWh = creditWh, VoltageDv = 2300, PowerW = powerW });
        }
        await db.SaveChangesAsync(Ct);
    }
}
