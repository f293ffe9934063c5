using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.MeterData;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Vending.Pricing;

namespace Prepay.Statements.Days;

/// <summary>What a statement is asked for: a customer's meters (or one of them) over local days, both ends included.</summary>
public sealed record StatementRequest(Guid CustomerId, LocalDate From, LocalDate To, string? MeterNumber = null);

public abstract record StatementOutcome
{
    private StatementOutcome()
    {
    }

    public sealed record Found(CustomerStatement Statement) : StatementOutcome;

    public sealed record CustomerNotFound(Guid CustomerId) : StatementOutcome;

    /// <summary>No meter with this number is the customer's now (someone else's is not found either).</summary>
    public sealed record MeterNotFound(string MeterNumber) : StatementOutcome;

    public sealed record RangeReversed(LocalDate From, LocalDate To) : StatementOutcome;

    public sealed record RangeTooLong(int Days, int MaxDays) : StatementOutcome;
}

/// <summary>
/// Reads a customer's statement: for each of their meters now, the days of the range from the start of their tenancy
/// (the later of the meter's installation and their moving in: earlier days belong to someone else) up to today, in
/// the zone of the meter's tariff, by where the meter's credit is held now (<see cref="CentralDays"/>,
/// <see cref="MeterCreditDays"/>). Nothing here writes.
/// </summary>
public sealed class CustomerStatements(IServiceScopeFactory scopes, IClock clock, TariffCatalog tariffs, VeeOptions vee, StatementsOptions options)
{
    public async Task<StatementOutcome> ReadAsync(StatementRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.To < request.From)
        {
            return new StatementOutcome.RangeReversed(request.From, request.To);
        }
        var length = Period.Between(request.From, request.To, PeriodUnits.Days).Days + 1;
        if (length > options.MaxDays)
        {
            return new StatementOutcome.RangeTooLong(length, options.MaxDays);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        if (!await db.Customers.AsNoTracking().AnyAsync(c => c.Id == request.CustomerId, ct))
        {
            return new StatementOutcome.CustomerNotFound(request.CustomerId);
        }
        var placements = MeterPlacements.Current(db).Where(p => p.CustomerId == request.CustomerId);
        if (request.MeterNumber is { } number)
        {
            placements = placements.Where(p => p.Meter.MeterNumber == number.Trim());
        }
        var meters = await placements.OrderBy(p => p.Meter.MeterNumber)
            .Select(p => new { p.Meter.Id, p.Meter.MeterNumber, p.Meter.Currency, p.CustomerSince }).ToListAsync(ct);
        if (request.MeterNumber is not null && meters.Count == 0)
        {
            return new StatementOutcome.MeterNotFound(request.MeterNumber);
        }
        var now = clock.GetCurrentInstant();
        var statements = new List<MeterStatement>(meters.Count);
        foreach (var m in meters)
        {
            var installed = await db.MeterInstallations.AsNoTracking().Where(i => i.MeterId == m.Id && i.RemovedAt == null).Select(i => (Instant?)i.InstalledAt).FirstOrDefaultAsync(ct);
            var since = Later(installed, m.CustomerSince);
            var zone = (await tariffs.ForMeterAsync(db, m.Id, now, ct))?.TimeZone ?? DateTimeZone.Utc;
            var from = since is { } s && s.InZone(zone).Date > request.From ? s.InZone(zone).Date : request.From;
            var today = now.InZone(zone).Date;
            var to = request.To > today ? today : request.To;
            var meter = new StatementMeter(m.Id, m.MeterNumber, m.Currency);
            var central = (await CreditModels.AtAsync(db, m.Id, now, ct))?.Model == MeterCreditModelRecord.Central;
            statements.Add(central
                ? await CentralDays.ReadAsync(db, meter, zone, from, to, ct)
                : await MeterCreditDays.ReadAsync(db, tariffs, vee.IntervalLength, meter, request.CustomerId, zone, from, to, ct));
        }
        return new StatementOutcome.Found(new CustomerStatement(request.CustomerId, request.From, request.To, statements));
    }

    private static Instant? Later(Instant? a, Instant? b) => (a, b) switch
    {
        ({ } x, { } y) => x > y ? x : y,
        _ => a ?? b,
    };
}
