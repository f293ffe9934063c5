using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Reports.Tables;
using Prepay.Storage;

namespace Prepay.Reports.Arrears;

/// <summary>
/// Arrears and their recovery per customer (issue 17, item 4), from the customers' debt accounts: debt loaded (or
/// brought in as an opening balance) in the
/// period, recovered by purchases and priced consumption (net of reversals), written off, and what was owed at the
/// period's end (the account's balance less what moved after). Customers whose debt neither moved nor stood open are
/// left out.
/// </summary>
public sealed class ArrearsReport(IServiceScopeFactory scopes, IClock clock) : IReport
{
    private static readonly ReportColumn[] Columns =
    [
        Cells.Text("customer", "Customer"), Cells.Text("site", "Site"), Cells.Text("unit", "Unit"), Cells.Text("currency", "Currency"),
        Cells.Integer("loadedMinor", "Loaded (minor units)"), Cells.Integer("recoveredMinor", "Recovered (minor units)"),
        Cells.Integer("writtenOffMinor", "Written off (minor units)"), Cells.Integer("owedMinor", "Owed at the end (minor units)"),
        new("owed", "Owed at the end", ColumnKind.Amount),
    ];

    public string Name => "arrears";

    public string Title => "Arrears and debt recovery";

    public string Description => "Per customer: debt loaded, recovered and written off in the period, and owed at its end, from the customers' debt accounts.";

    public IReadOnlyList<string> Groupings => [];

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var (start, end) = (request.Start, request.End);
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.Kind == AccountKind.CustomerDebt)
            .Select(a => new { a.Id, a.Code, a.Currency, a.Balance }).ToListAsync(ct);
        var ids = accounts.Select(a => a.Id).ToList();
        var moves = await (from p in db.Postings.AsNoTracking()
                           join t in db.LedgerTransactions.AsNoTracking() on p.TransactionId equals t.Id
                           where t.At >= start && (ids.Contains(p.DebitAccountId) || ids.Contains(p.CreditAccountId))
                           select new { t.At, t.Kind, p.DebitAccountId, p.CreditAccountId, p.Amount }).ToListAsync(ct);
        var customers = await (from c in db.Customers.AsNoTracking()
                               join p in db.Premises.AsNoTracking() on c.Id equals p.CustomerId into premises
                               from p in premises.DefaultIfEmpty()
                               join s in db.Sites.AsNoTracking() on p.SiteId equals s.Id into sites
                               from s in sites.DefaultIfEmpty()
                               select new { c.Id, c.Name, Site = s.Code, Unit = p.Label }).ToListAsync(ct);
        var where = customers.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Site, StringComparer.Ordinal).ThenBy(c => c.Unit, StringComparer.Ordinal).First());
        // The signed change to each account's balance: a credit raises it towards zero, a debit lowers it.
        var changes = moves.SelectMany(m => new[] { (Account: m.CreditAccountId, m.At, m.Kind, Change: m.Amount), (Account: m.DebitAccountId, m.At, m.Kind, Change: -m.Amount) })
            .ToLookup(m => m.Account);
        var rows = new List<(string Customer, string Site, string Unit, IReadOnlyList<object?> Row)>();
        foreach (var a in accounts)
        {
            var mine = changes[a.Id].ToList();
            var inPeriod = mine.Where(m => m.At < end).ToList();
            var loaded = -inPeriod.Where(m => m.Kind is TransactionKind.DebtLoaded or TransactionKind.OpeningBalance).Sum(m => m.Change);
            var recovered = inPeriod.Where(m => m.Kind is TransactionKind.Vend or TransactionKind.Reversal or TransactionKind.Consumption).Sum(m => m.Change);
            var writtenOff = inPeriod.Where(m => m.Kind == TransactionKind.DebtWrittenOff).Sum(m => m.Change);
            var owed = -(a.Balance - mine.Where(m => m.At >= end).Sum(m => m.Change));
            if (loaded == 0 && recovered == 0 && writtenOff == 0 && owed == 0)
            {
                continue;
            }
            var customerId = Guid.ParseExact(a.Code.Split('/')[1], "N"); // customer/{id:N}/debt/{currency}
            var c = where.GetValueOrDefault(customerId);
            var (name, site, unit) = (c?.Name ?? customerId.ToString(), c?.Site ?? "", c?.Unit ?? "");
            rows.Add((name, site, unit, [name, site, unit, a.Currency, loaded, recovered, writtenOff, owed, Cells.Amount(owed, a.Currency)]));
        }
        return new ReportTable(Name, Title, request.From, request.To, request.Zone.Id, clock.GetCurrentInstant(), Columns,
            [.. rows.OrderBy(r => r.Site, StringComparer.Ordinal).ThenBy(r => r.Unit, StringComparer.Ordinal).ThenBy(r => r.Customer, StringComparer.Ordinal).Select(r => r.Row)],
            new ReportChart("customer", "owedMinor", "Owed at the end (minor units)"));
    }
}
