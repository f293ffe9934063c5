using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Domain.Sites;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Vending;
using Prepay.Vending.Approvals;
using Prepay.Vending.Pricing;

namespace Prepay.Catalog.Imports;

/// <summary>
/// What an import makes, or would make: new sites, units (premises), customers, meters and installations, the rows that
/// change nothing, and the customers' opening balances asked for (approved by a second person, not moved by the import).
/// </summary>
public sealed record ImportPlan(int Rows, int Sites, int Premises, int Customers, int Meters, int Installations, int Unchanged, int OpeningBalances);

public abstract record ImportOutcome
{
    /// <summary>A dry run found nothing wrong: this is what the import would make. Nothing was written.</summary>
    public sealed record Checked(ImportPlan Plan) : ImportOutcome;

    /// <summary>Done, all of it, in one transaction.</summary>
    public sealed record Imported(ImportPlan Plan) : ImportOutcome;

    /// <summary>Every problem found, by line and column; nothing was written.</summary>
    public sealed record Refused(IReadOnlyList<ImportProblem> Problems) : ImportOutcome;
}

/// <summary>
/// Customers, sites with their units and meters with their STS parameters, installation and tariff, from an
/// installations file (<see cref="InstallationsCsv"/>). The import only adds: a row whose site, unit, customer and
/// meter are all there already and agree changes nothing (so importing a file again changes nothing), and a row that
/// disagrees with what is stored (another mode, other STS parameters, a meter installed elsewhere, a unit holding
/// another meter or customer) is a problem, never an update. Every problem in the file is found before anything is
/// written, by line and column; then all of it is written in one transaction, or none of it, with one audit record.
/// A dry run stops before writing. Opening balances are asked for, not moved (<see cref="OpeningBalances"/>).
/// Progress, when asked for, is reported every <see cref="ProgressEvery"/> rows checked and at each phase.
/// </summary>
public sealed class CatalogImport(IServiceScopeFactory scopes, IClock clock, TariffCatalog tariffs, MoneyApprovals approvals)
{
    public const string AuditAction = "catalog.import";

    public const int ProgressEvery = 250;

    public async Task<ImportOutcome> RunAsync(TextReader file, bool dryRun, Actor actor, CancellationToken ct, IProgress<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(actor);
        progress?.Report(ImportProgress.Reading);
        var outcome = await ImportAsync(file, dryRun, actor, progress, ct);
        var rows = outcome switch { ImportOutcome.Checked c => c.Plan.Rows, ImportOutcome.Imported i => i.Plan.Rows, _ => 0 };
        progress?.Report(new ImportProgress(ImportPhase.Done, rows, rows, outcome is ImportOutcome.Imported ? rows : 0));
        return outcome;
    }

    private async Task<ImportOutcome> ImportAsync(TextReader file, bool dryRun, Actor actor, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var text = await file.ReadToEndAsync(ct);
        var (rows, problems) = InstallationsCsv.Read(new StringReader(text));
        var list = problems.ToList();
        if (rows.Count == 0 && list.Count == 0)
        {
            list.Add(new ImportProblem(1, null, "no rows"));
        }
        CrossRows(rows, list);
        // A row already found wrong in the file is not held against the database too: one problem, said once.
        var wrong = list.Select(p => p.Line).ToHashSet();
        rows = [.. rows.Where(r => !wrong.Contains(r.Line))];
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        await using var tx = await db.BeginWriteAsync(ct);
        var plan = await PlanAsync(db, rows, list, now, actor, dryRun, progress, ct);
        if (list.Count > 0)
        {
            return new ImportOutcome.Refused([.. list.OrderBy(p => p.Line).ThenBy(p => p.Column, StringComparer.Ordinal)]);
        }
        if (dryRun)
        {
            return new ImportOutcome.Checked(plan);
        }
        progress?.Report(new ImportProgress(ImportPhase.Writing, plan.Rows, plan.Rows, 0));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = actor.AuditName, ActorId = actor.AuditId, Action = AuditAction, Target = "catalog",
            Details = $"{plan.Rows} rows (sha256 {hash}): {plan.Sites} sites, {plan.Premises} units, {plan.Customers} customers, {plan.Meters} meters, {plan.Installations} installations made, {plan.OpeningBalances} opening balances asked for; {plan.Unchanged} rows unchanged",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ImportOutcome.Imported(plan);
    }

    // Within the file: a meter on two rows, a unit given two meters, a site given two names or kinds.
    private static void CrossRows(IReadOnlyList<InstallationRow> rows, List<ImportProblem> problems)
    {
        var meters = new Dictionary<string, int>(StringComparer.Ordinal);
        var units = new Dictionary<(string, string), int>();
        var sites = new Dictionary<string, InstallationRow>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (!meters.TryAdd(r.Meter.Value, r.Line))
            {
                problems.Add(new ImportProblem(r.Line, "meter", $"meter {r.Meter} is on line {meters[r.Meter.Value]} too"));
            }
            if (!units.TryAdd((r.Site, r.Unit), r.Line))
            {
                problems.Add(new ImportProblem(r.Line, "unit", $"unit {r.Unit} of site {r.Site} is on line {units[(r.Site, r.Unit)]} too"));
            }
            if (!sites.TryAdd(r.Site, r) && sites[r.Site] is var first && (first.SiteName != r.SiteName && r.SiteName is not null && first.SiteName is not null || first.SiteKind != r.SiteKind))
            {
                problems.Add(new ImportProblem(r.Line, first.SiteKind != r.SiteKind ? "site_kind" : "site_name", $"site {r.Site} is described otherwise on line {first.Line}"));
            }
        }
    }

    // What is stored, read for every code, unit and number in the file at once; each row either agrees with it (nothing
    // to do), adds to it, or is a problem. The new rows are added to the context, not saved.
    private async Task<ImportPlan> PlanAsync(PrepayDb db, IReadOnlyList<InstallationRow> rows, List<ImportProblem> problems, Instant now, Actor actor, bool dryRun,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var siteCodes = rows.Select(r => r.Site).Distinct().ToList();
        var sites = await db.Sites.Where(s => siteCodes.Contains(s.Code)).ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, ct);
        var siteIds = sites.Values.Select(s => s.Id).ToList();
        var premises = (await db.Premises.Where(p => siteIds.Contains(p.SiteId)).ToListAsync(ct)).ToDictionary(p => (p.SiteId, p.Label));
        var customerIds = premises.Values.Where(p => p.CustomerId is not null).Select(p => p.CustomerId!.Value).ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var numbers = rows.Select(r => r.Meter.Value).ToList();
        var meters = await db.Meters.AsNoTracking().Where(m => numbers.Contains(m.MeterNumber)).ToDictionaryAsync(m => m.MeterNumber, StringComparer.Ordinal, ct);
        var meterIds = meters.Values.Select(m => m.Id).ToList();
        var premisesIds = premises.Values.Select(p => p.Id).ToList();
        var open = await db.MeterInstallations.AsNoTracking().Where(i => i.RemovedAt == null && (meterIds.Contains(i.MeterId) || premisesIds.Contains(i.PremisesId)))
            .Select(i => new { i.MeterId, i.PremisesId }).ToListAsync(ct);
        var installedAt = open.GroupBy(i => i.MeterId).ToDictionary(g => g.Key, g => g.First().PremisesId);
        var occupiedBy = open.GroupBy(i => i.PremisesId).ToDictionary(g => g.Key, g => g.First().MeterId);
        var tariffCurrency = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var code in rows.Select(r => r.Tariff).Distinct())
        {
            tariffCurrency[code] = (await tariffs.EffectiveAsync(db, code, now, ct))?.Currency.Code;
        }
        var assigned = await db.TariffAssignments.AsNoTracking().Where(a => meterIds.Contains(a.MeterId) && a.EffectiveFrom <= now)
            .GroupBy(a => a.MeterId).Select(g => g.OrderByDescending(a => a.EffectiveFrom).Select(a => new { a.MeterId, a.TariffCode }).First()).ToListAsync(ct);
        var tariffOf = assigned.ToDictionary(a => a.MeterId, a => a.TariffCode);
        var balances = await OpeningBalances.LoadAsync(db, customers.Keys, ct);

        int newSites = 0, newPremises = 0, newCustomers = 0, newMeters = 0, newInstallations = 0, unchanged = 0, newBalances = 0, done = 0;
        Guid Id() => Guid.CreateVersion7(now.ToDateTimeOffset());
        progress?.Report(new ImportProgress(ImportPhase.Checking, rows.Count, 0, 0));
        foreach (var r in rows)
        {
            if (++done % ProgressEvery == 0)
            {
                progress?.Report(new ImportProgress(ImportPhase.Checking, rows.Count, done, 0));
            }
            var before = problems.Count;
            void Bad(string column, string problem) => problems.Add(new ImportProblem(r.Line, column, problem));
            if (tariffCurrency[r.Tariff] is not { } currency)
            {
                Bad("tariff", $"no tariff '{r.Tariff}' in effect");
            }
            else if (currency != r.Currency.Code)
            {
                Bad("currency", $"tariff '{r.Tariff}' is in {currency}");
            }
            var site = sites.GetValueOrDefault(r.Site);
            if (site is null && r.SiteName is null)
            {
                Bad("site_name", $"is required for the new site {r.Site}");
            }
            else if (site is not null && r.SiteName is not null && r.SiteName != site.Name)
            {
                Bad("site_name", $"differs from the stored name '{site.Name}'");
            }
            var unit = site is null ? null : premises.GetValueOrDefault((site.Id, r.Unit));
            if (unit?.CustomerId is { } holder && r.CustomerName is not null && customers.GetValueOrDefault(holder)?.Name != r.CustomerName)
            {
                Bad("customer_name", $"unit {r.Unit} has another customer, '{customers.GetValueOrDefault(holder)?.Name}'");
            }
            var meter = meters.GetValueOrDefault(r.Meter.Value);
            if (meter is not null)
            {
                if (meter.Mode != r.Mode)
                {
                    Bad("mode", $"meter {r.Meter} is a {meter.Mode.ToString().ToLowerInvariant()} meter");
                }
                if (meter.Currency != r.Currency.Code)
                {
                    Bad("currency", $"meter {r.Meter} is in {meter.Currency}");
                }
                if ((meter.Mode == MeterMode.Token || meter.HasStsDecoder) && meter.Sts with { KeyType = r.Sts.KeyType } != r.Sts)
                {
                    Bad("sgc", $"meter {r.Meter} has other STS parameters ({meter.Sts.SupplyGroupCode}, KRN {meter.Sts.KeyRevisionNumber}, TI {meter.Sts.TariffIndex}, {meter.Sts.EncryptionAlgorithm}, {meter.Sts.BaseDate})");
                }
                if (tariffOf.GetValueOrDefault(meter.Id) is { } current && current != r.Tariff)
                {
                    Bad("tariff", $"meter {r.Meter} is on tariff '{current}'");
                }
                if (installedAt.TryGetValue(meter.Id, out var at) && (unit is null || at != unit.Id))
                {
                    Bad("meter", $"meter {r.Meter} is installed at another unit");
                }
            }
            if (unit is not null && occupiedBy.TryGetValue(unit.Id, out var occupant) && (meter is null || occupant != meter.Id))
            {
                Bad("unit", $"unit {r.Unit} of site {r.Site} holds another meter");
            }
            if (problems.Count > before)
            {
                continue;
            }

            var changed = false;
            if (site is null)
            {
                site = new Site { Id = Id(), Code = r.Site, Name = r.SiteName!, Kind = r.SiteKind, CreatedAt = now };
                db.Sites.Add(site);
                sites[r.Site] = site;
                newSites++;
                changed = true;
            }
            if (unit is null)
            {
                unit = new Premises { Id = Id(), SiteId = site.Id, Label = r.Unit, CreatedAt = now };
                db.Premises.Add(unit);
                premises[(site.Id, r.Unit)] = unit;
                newPremises++;
                changed = true;
            }
            if (unit.CustomerId is null && r.CustomerName is not null)
            {
                var customer = new Customer { Id = Id(), Name = r.CustomerName, Phone = r.CustomerPhone, Email = r.CustomerEmail, CreatedAt = now };
                db.Customers.Add(customer);
                customers[customer.Id] = customer;
                unit.AssignCustomer(customer.Id, now);
                newCustomers++;
                changed = true;
            }
            if (meter is null)
            {
                // A smart meter given STS parameters has a keypad decoder too, as POST /meters takes it.
                var decoder = r.Mode == MeterMode.Smart && r.Sts != StsParameters.Default;
                meter = new Meter
                {
                    Id = Id(), MeterNumber = r.Meter.Value, Mode = r.Mode, HasStsDecoder = decoder, Transport = MeterTransport.Mqtt,
                    Currency = r.Currency.Code, ResolutionWh = r.Mode == MeterMode.Token || decoder ? 100 : 1,
                    SupplyGroupCode = r.Sts.SupplyGroupCode, KeyRevisionNumber = r.Sts.KeyRevisionNumber, TariffIndex = r.Sts.TariffIndex,
                    KeyType = r.Sts.KeyType, EncryptionAlgorithm = r.Sts.EncryptionAlgorithm, BaseDate = r.Sts.BaseDate, CreatedAt = now,
                };
                db.Meters.Add(meter);
                db.TariffAssignments.Add(new TariffAssignment { Id = Id(), MeterId = meter.Id, TariffCode = r.Tariff, EffectiveFrom = now });
                meters[r.Meter.Value] = meter;
                newMeters++;
                changed = true;
            }
            if (!installedAt.ContainsKey(meter.Id))
            {
                db.MeterInstallations.Add(new MeterInstallation { Id = Id(), MeterId = meter.Id, PremisesId = unit.Id, InstalledAt = now });
                installedAt[meter.Id] = unit.Id;
                occupiedBy[unit.Id] = meter.Id;
                newInstallations++;
                changed = true;
            }
            if (unit.CustomerId is { } holderId && balances.Plan(db, approvals, r, holderId, actor, dryRun, Bad))
            {
                newBalances++;
                changed = true;
            }
            unchanged += changed ? 0 : 1;
        }
        return new ImportPlan(rows.Count, newSites, newPremises, newCustomers, newMeters, newInstallations, unchanged, newBalances);
    }
}
