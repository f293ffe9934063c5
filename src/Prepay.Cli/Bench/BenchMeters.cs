using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Domain.Sites;
using Prepay.Server.Demo;
using Prepay.Storage;

namespace Prepay.Cli.Bench;

/// <summary>
/// Smart meters for a benchmark's fresh database, written straight into it in one save: making thousands through
/// the API, as an operator would, would take longer than the benchmark itself.
/// </summary>
public static class BenchMeters
{
    public const string Site = "BENCHFLEET";

    /// <summary>Meters alone, numbered from <paramref name="first"/>: enough for the head-end to take their messages.</summary>
    public static async Task<IReadOnlyList<(string Number, Guid Id)>> AddAsync(IServiceProvider services, long first, int count, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = scope.ServiceProvider.GetRequiredService<IClock>().GetCurrentInstant();
        var meters = Enumerable.Range(0, count).Select(i => NewMeter(first + i, now)).ToList();
        db.Meters.AddRange(meters);
        await db.SaveChangesAsync(ct);
        return meters.Select(m => (m.MeterNumber, m.Id)).ToList();
    }

    /// <summary>
    /// Meters that can be sold to: per meter a customer and premises in the <see cref="Site"/> site, the meter
    /// installed there on <see cref="SmartTariff"/>. Needs the demo data (tariffs).
    /// </summary>
    public static async Task<IReadOnlyList<string>> AddInstalledAsync(IServiceProvider services, long first, int count, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = scope.ServiceProvider.GetRequiredService<IClock>().GetCurrentInstant();
        var site = new Site { Id = Guid.CreateVersion7(), Code = Site, Name = "Benchmark fleet", Kind = SiteKind.ResidentialCommunity, CreatedAt = now };
        db.Sites.Add(site);
        var numbers = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var meter = NewMeter(first + i, now);
            var customer = new Customer
            {
                Id = Guid.CreateVersion7(), Name = $"Benchmark customer {i + 1}", Phone = "+27 82 555 0000", Email = $"bench{i + 1}@example.org", CreatedAt = now,
            };
            var premises = new Premises { Id = Guid.CreateVersion7(), SiteId = site.Id, Label = $"B-{i + 1:00000}", CreatedAt = now };
            premises.AssignCustomer(customer.Id, now);
            db.Customers.Add(customer);
            db.Premises.Add(premises);
            db.Meters.Add(meter);
            db.MeterInstallations.Add(new MeterInstallation { Id = Guid.CreateVersion7(), MeterId = meter.Id, PremisesId = premises.Id, InstalledAt = now });
            db.TariffAssignments.Add(new TariffAssignment { Id = Guid.CreateVersion7(), MeterId = meter.Id, TariffCode = SmartTariff, EffectiveFrom = now });
            numbers.Add(meter.MeterNumber);
        }
        await db.SaveChangesAsync(ct);
        return numbers;
    }

    /// <summary>
    /// The demo's flat residential tariff (seeded by <see cref="DemoData"/>): no fixed charge, so any top-up buys
    /// energy and queues a credit command (the time-of-use tariff's first vend of a month pays 450 ZAR first).
    /// </summary>
    public const string SmartTariff = "RES-FLAT";

    private static Domain.Metering.Meter NewMeter(long number, Instant now) => new()
    {
        Id = Guid.CreateVersion7(), MeterNumber = number.ToString(CultureInfo.InvariantCulture), Mode = MeterMode.Smart, Currency = "ZAR",
        ResolutionWh = 1, SupplyGroupCode = 123456, KeyRevisionNumber = 1, TariffIndex = 1, KeyType = 2,
        EncryptionAlgorithm = StsEncryptionAlgorithm.Sta, BaseDate = StsBaseDate.Y2014, CreatedAt = now,
    };
}
