using Microsoft.EntityFrameworkCore;
using Prepay.Alerts.Outbox;
using Prepay.Alerts.Producers;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Vending.Vends;

/// <summary>
/// What a vend reads before its transaction, in one compiled query: the meter it names with its open installation,
/// premises, site and customer (as <see cref="Storage.Queries.MeterPlacements"/> joins them), and where the customer's
/// receipt goes (their contact details and alert preferences, and the active webhooks). Compiled once, so a vend
/// neither builds nor looks up a LINQ expression tree for it; one round trip instead of three.
/// </summary>
internal static class VendTargetRead
{
    /// <summary>One row of the read; the collections are empty when there is no customer or no webhook.</summary>
    internal sealed class Row
    {
        public required Meter Meter { get; init; }
        public string? SiteCode { get; init; }
        public string? UnitLabel { get; init; }
        public Guid? CustomerId { get; init; }
        public string? CustomerName { get; init; }
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public required List<NotificationPreference> Preferences { get; init; }
        public required List<Hook> Webhooks { get; init; }
    }

    internal sealed record Hook(Guid Id, string EventKinds);

    public static Task<Row?> ByMeterNumberAsync(PrepayDb db, string meterNumber, CancellationToken ct) => ByNumber(db, meterNumber, ct);

    public static Task<Row?> BySiteAndUnitAsync(PrepayDb db, string? site, string? unit, CancellationToken ct) => BySiteUnit(db, site, unit, ct);

    public static Destinations Destinations(Row row) =>
        TopUpReceipts.DestinationsOf(row.Email, row.Phone, row.Preferences, row.Webhooks.Select(h => (h.Id, h.EventKinds)));

    private static readonly Func<PrepayDb, string, CancellationToken, Task<Row?>> ByNumber = EF.CompileAsyncQuery<PrepayDb, string, Row?>((PrepayDb db, string number, CancellationToken ct) =>
        (from m in db.Meters.AsNoTracking()
         where m.MeterNumber == number
         join i in db.MeterInstallations.Where(i => i.RemovedAt == null) on m.Id equals i.MeterId into installs
         from i in installs.DefaultIfEmpty()
         join p in db.Premises on i.PremisesId equals p.Id into premises
         from p in premises.DefaultIfEmpty()
         join s in db.Sites on p.SiteId equals s.Id into sites
         from s in sites.DefaultIfEmpty()
         join c in db.Customers on p.CustomerId equals c.Id into customers
         from c in customers.DefaultIfEmpty()
         select new Row
         {
             Meter = m, SiteCode = s.Code, UnitLabel = p.Label, CustomerId = (Guid?)c.Id, CustomerName = c.Name, Email = c.Email, Phone = c.Phone,
             Preferences = db.NotificationPreferences.Where(n => n.CustomerId == c.Id).ToList(),
             Webhooks = db.WebhookSubscriptions.Where(w => w.Active).Select(w => new Hook(w.Id, w.EventKinds)).ToList(),
         }).FirstOrDefault());

    private static readonly Func<PrepayDb, string?, string?, CancellationToken, Task<Row?>> BySiteUnit = EF.CompileAsyncQuery<PrepayDb, string?, string?, Row?>((PrepayDb db, string? site, string? unit, CancellationToken ct) =>
        (from m in db.Meters.AsNoTracking()
         join i in db.MeterInstallations.Where(i => i.RemovedAt == null) on m.Id equals i.MeterId into installs
         from i in installs.DefaultIfEmpty()
         join p in db.Premises on i.PremisesId equals p.Id into premises
         from p in premises.DefaultIfEmpty()
         join s in db.Sites on p.SiteId equals s.Id into sites
         from s in sites.DefaultIfEmpty()
         join c in db.Customers on p.CustomerId equals c.Id into customers
         from c in customers.DefaultIfEmpty()
         where s.Code == site && p.Label == unit
         select new Row
         {
             Meter = m, SiteCode = s.Code, UnitLabel = p.Label, CustomerId = (Guid?)c.Id, CustomerName = c.Name, Email = c.Email, Phone = c.Phone,
             Preferences = db.NotificationPreferences.Where(n => n.CustomerId == c.Id).ToList(),
             Webhooks = db.WebhookSubscriptions.Where(w => w.Active).Select(w => new Hook(w.Id, w.EventKinds)).ToList(),
         }).FirstOrDefault());
}
