using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Ledger.Transactions;
using Prepay.Storage;

namespace Prepay.Reports.Welfare;

/// <summary>One household an operator may want to call on, with why.</summary>
public sealed record WelfareSignal(string Kind, Guid CustomerId, string Customer, string Site, string Unit, string Meter, Instant Since, string Evidence);

/// <summary>Self-disconnections at a site in a month (UTC): how many times supply went off for lack of credit, and in how many households.</summary>
public sealed record SelfDisconnectionCount(string Site, string Month, int Disconnections, int Households);

/// <summary>The signal kinds.</summary>
public static class WelfareKinds
{
    /// <summary>Ran out of credit and has not topped up for days.</summary>
    public const string OutOfCredit = "outOfCredit";

    /// <summary>Runs out again and again, each time for less than a day: buying in small amounts, going without in between.</summary>
    public const string FrequentShortDisconnections = "frequentShortDisconnections";

    /// <summary>Uses half or less of what it used before a debt was loaded, while keeping supply.</summary>
    public const string Rationing = "rationing";
}

/// <summary>
/// Welfare signals (issue 17, item 2), read from meters' events, vends, readings and debt loads. A
/// self-disconnection starts at the meter's <c>creditExhausted</c> event and ends at the first of its relay closing,
/// a token accepted or a vend to it; one still open at the end is going on. Households are those installed at
/// premises with a customer now.
/// </summary>
public sealed class WelfareSignals(IServiceScopeFactory scopes, IClock clock)
{
    public static readonly Duration Lookback = Duration.FromDays(60);

    private static readonly Duration Day = Duration.FromDays(1);

    public async Task<IReadOnlyList<WelfareSignal>> ListAsync(int offDays, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var households = await HouseholdsAsync(db, ct);
        var episodes = await EpisodesAsync(db, households.Select(h => h.MeterId).ToList(), now - Lookback, now, ct);
        var signals = new List<WelfareSignal>();
        foreach (var h in households)
        {
            var mine = episodes[h.MeterId].ToList();
            if (mine.LastOrDefault() is { End: null } open && now - open.Start >= Day * offDays)
            {
                signals.Add(new(WelfareKinds.OutOfCredit, h.CustomerId, h.Customer, h.Site, h.Unit, h.Meter, open.Start,
                    $"out of credit for {(now - open.Start).TotalDays:0.0} days with no top-up"));
            }
            var shortOnes = mine.Where(e => e.End is { } end && end - e.Start < Day && e.Start >= now - Duration.FromDays(30)).ToList();
            if (shortOnes.Count >= 4)
            {
                signals.Add(new(WelfareKinds.FrequentShortDisconnections, h.CustomerId, h.Customer, h.Site, h.Unit, h.Meter, shortOnes[0].Start,
                    $"{shortOnes.Count} disconnections for lack of credit in 30 days, each under a day (median {Median(shortOnes):0.0} h)"));
            }
        }
        signals.AddRange(await RationingAsync(db, households, episodes, now, ct));
        return [.. signals.OrderBy(s => s.Kind, StringComparer.Ordinal).ThenBy(s => s.Site, StringComparer.Ordinal).ThenBy(s => s.Unit, StringComparer.Ordinal)];
    }

    /// <summary>Self-disconnections per site and month (UTC) for the months from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<SelfDisconnectionCount>> SelfDisconnectionsAsync(YearMonth from, YearMonth to, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var start = from.OnDayOfMonth(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        var end = to.OnDayOfMonth(1).PlusMonths(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        var households = await HouseholdsAsync(db, ct);
        var episodes = await EpisodesAsync(db, households.Select(h => h.MeterId).ToList(), start, end, ct);
        return [.. households.SelectMany(h => episodes[h.MeterId].Where(e => e.Start >= start && e.Start < end).Select(e => (h.Site, h.MeterId, Month: Month(e.Start))))
            .GroupBy(x => (x.Site, x.Month)).OrderBy(g => g.Key.Site, StringComparer.Ordinal).ThenBy(g => g.Key.Month, StringComparer.Ordinal)
            .Select(g => new SelfDisconnectionCount(g.Key.Site, g.Key.Month, g.Count(), g.Select(x => x.MeterId).Distinct().Count()))];
    }

    private static string Month(Instant at)
    {
        var d = at.InUtc().Date;
        return $"{d.Year:0000}-{d.Month:00}";
    }

    private static double Median(List<Episode> episodes) => episodes.Select(e => (e.End!.Value - e.Start).TotalHours).Order().ElementAt(episodes.Count / 2);

    private sealed record Household(Guid MeterId, string Meter, Guid CustomerId, string Customer, string Site, string Unit);

    private sealed record Episode(Instant Start, Instant? End);

    private static async Task<List<Household>> HouseholdsAsync(PrepayDb db, CancellationToken ct) =>
        (await (from i in db.MeterInstallations.AsNoTracking()
                join p in db.Premises.AsNoTracking() on i.PremisesId equals p.Id
                join s in db.Sites.AsNoTracking() on p.SiteId equals s.Id
                join m in db.Meters.AsNoTracking() on i.MeterId equals m.Id
                join c in db.Customers.AsNoTracking() on p.CustomerId equals c.Id
                where i.RemovedAt == null
                select new { i.MeterId, m.MeterNumber, CustomerId = c.Id, c.Name, Site = s.Code, p.Label }).ToListAsync(ct))
        .Select(x => new Household(x.MeterId, x.MeterNumber, x.CustomerId, x.Name, x.Site, x.Label)).ToList();

    // Each meter's self-disconnections that start in [from, to): credit exhausted, until the relay closes, a token is
    // accepted or credit is sold to it.
    private static async Task<ILookup<Guid, Episode>> EpisodesAsync(PrepayDb db, List<Guid> meters, Instant from, Instant to, CancellationToken ct)
    {
        var events = await db.MeterEvents.AsNoTracking()
            .Where(e => meters.Contains(e.MeterId) && e.At >= from && (e.Type == "creditExhausted" || e.Type == "relayClosed" || e.Type == "tokenAccepted"))
            .Select(e => new { e.MeterId, e.At, e.Type }).ToListAsync(ct);
        var vends = await db.Vends.AsNoTracking().Where(v => meters.Contains(v.MeterId) && v.At >= from).Select(v => new { v.MeterId, v.At }).ToListAsync(ct);
        var marks = events.Select(e => (e.MeterId, e.At, Starts: e.Type == "creditExhausted"))
            .Concat(vends.Select(v => (v.MeterId, v.At, Starts: false)))
            .OrderBy(x => x.At).ToLookup(x => x.MeterId);
        var episodes = new List<(Guid Meter, Episode Episode)>();
        foreach (var meter in marks)
        {
            Instant? open = null;
            foreach (var (_, at, starts) in meter)
            {
                if (starts && open is null && at < to)
                {
                    open = at;
                }
                else if (!starts && open is { } began)
                {
                    episodes.Add((meter.Key, new Episode(began, at)));
                    open = null;
                }
            }
            if (open is { } still)
            {
                episodes.Add((meter.Key, new Episode(still, null)));
            }
        }
        return episodes.ToLookup(e => e.Meter, e => e.Episode);
    }

    // Half or less of the daily energy of the 28 days before a change that costs the household more (a debt loaded, the
    // meter moved to another tariff, a new version of its tariff in force), over at least 14 days after it, with supply
    // on most of that time. The earliest such change in the lookback is the one read.
    private static async Task<List<WelfareSignal>> RationingAsync(PrepayDb db, List<Household> households, ILookup<Guid, Episode> episodes, Instant now, CancellationToken ct)
    {
        var changes = await ChangesAsync(db, households, now - Lookback, now - Duration.FromDays(14), ct);
        var signals = new List<WelfareSignal>();
        foreach (var h in households)
        {
            if (changes[h.MeterId].OrderBy(x => x.At).FirstOrDefault() is not { Cause: not null } change)
            {
                continue;
            }
            var c = change.At;
            var before = await db.Readings.AsNoTracking().Where(r => r.MeterId == h.MeterId && r.At > c - Duration.FromDays(28) && r.At <= c).SumAsync(r => r.DeltaWh, ct) / 28.0;
            var days = Math.Min(28, (now - c).TotalDays);
            var after = await db.Readings.AsNoTracking().Where(r => r.MeterId == h.MeterId && r.At > c && r.At <= c + Duration.FromDays(days)).SumAsync(r => r.DeltaWh, ct) / days;
            var off = episodes[h.MeterId].Sum(e => Overlap(e, c, now).TotalHours) / (now - c).TotalHours;
            if (before >= 1_000 && after <= before / 2 && off < 0.25)
            {
                signals.Add(new(WelfareKinds.Rationing, h.CustomerId, h.Customer, h.Site, h.Unit, h.Meter, c,
                    $"{after / 1000:0.0} kWh a day since {change.Cause}, against {before / 1000:0.0} kWh before, with supply on {100 * (1 - off):0} % of the time"));
            }
        }
        return signals;
    }

    /// <summary>
    /// Per meter, what changed its household's costs in [since, until]: a debt loaded on its customer, the meter assigned a
    /// tariff other than the one it had, or a new version of its tariff taking effect (at local midnight in the
    /// tariff's zone).
    /// </summary>
    private static async Task<ILookup<Guid, (Instant At, string? Cause)>> ChangesAsync(PrepayDb db, List<Household> households, Instant since, Instant until, CancellationToken ct)
    {
        var loads = await (from t in db.LedgerTransactions.AsNoTracking()
                           join p in db.Postings.AsNoTracking() on t.Id equals p.TransactionId
                           join a in db.Accounts.AsNoTracking() on p.DebitAccountId equals a.Id
                           where t.Kind == TransactionKind.DebtLoaded && t.At >= since && t.At <= until
                           select new { a.Code, t.At }).ToListAsync(ct);
        var meters = households.Select(h => h.MeterId).ToList();
        var assignments = (await db.TariffAssignments.AsNoTracking().Where(a => meters.Contains(a.MeterId))
            .Select(a => new { a.MeterId, a.TariffCode, a.EffectiveFrom }).ToListAsync(ct)).ToLookup(a => a.MeterId);
        var codes = assignments.SelectMany(g => g).Select(a => a.TariffCode).Distinct().ToList();
        var versions = await db.Tariffs.AsNoTracking().Where(t => codes.Contains(t.Code) && t.Version > 1)
            .Select(t => new { t.Code, t.Version, t.EffectiveFrom, t.Document }).ToListAsync(ct);
        var result = new List<(Guid Meter, Instant At, string? Cause)>();
        foreach (var h in households)
        {
            var prefix = $"customer/{h.CustomerId:N}/debt/";
            result.AddRange(loads.Where(l => l.Code.StartsWith(prefix, StringComparison.Ordinal)).Select(l => (h.MeterId, l.At, (string?)"a debt was loaded")));
            var mine = assignments[h.MeterId].OrderBy(a => a.EffectiveFrom).ToList();
            for (var i = 1; i < mine.Count; i++)
            {
                if (mine[i].TariffCode != mine[i - 1].TariffCode && mine[i].EffectiveFrom >= since && mine[i].EffectiveFrom <= until)
                {
                    result.Add((h.MeterId, mine[i].EffectiveFrom, $"the meter moved to tariff {mine[i].TariffCode}"));
                }
            }
            var current = mine.LastOrDefault(a => a.EffectiveFrom <= until)?.TariffCode;
            foreach (var v in versions.Where(v => v.Code == current))
            {
                var at = ZoneOf(v.Document).AtStartOfDay(v.EffectiveFrom).ToInstant();
                if (at >= since && at <= until)
                {
                    result.Add((h.MeterId, at, $"tariff {v.Code} version {v.Version} took effect"));
                }
            }
        }
        return result.ToLookup(r => r.Meter, r => (r.At, r.Cause));
    }

    // A tariff document names its zone ("timeZone"); its effective dates are local days there.
    private static DateTimeZone ZoneOf(string document)
    {
        using var json = System.Text.Json.JsonDocument.Parse(document);
        return json.RootElement.TryGetProperty("timeZone", out var tz) && tz.GetString() is { } id && DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone ? zone : DateTimeZone.Utc;
    }

    private static Duration Overlap(Episode e, Instant from, Instant to)
    {
        var start = e.Start > from ? e.Start : from;
        var end = e.End is { } x && x < to ? x : to;
        return end > start ? end - start : Duration.Zero;
    }
}
