using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Reports.Tables;
using Prepay.Storage;

namespace Prepay.Reports.Revenue;

/// <summary>
/// Revenue per local day by tariff component (issue 17, item 4), read from the ledger's postings: what the revenue,
/// tax and commission accounts were credited less what they were debited (a reversal gives back), and the debt
/// recovered by purchases and priced consumption, less what reversals gave back (a debt loaded, written off or
/// adjusted is not recovery). Energy, fixed charges, a tax or commission summed over all time is its accounts' balance.
/// </summary>
public sealed class RevenueReport(IServiceScopeFactory scopes, IClock clock) : IReport
{
    public const string Energy = "energy", FixedCharges = "fixedCharges", DebtRecovered = "debtRecovered", Commission = "commission", TaxPrefix = "tax:";

    private static readonly AccountKind[] Kinds = [AccountKind.EnergyRevenue, AccountKind.FixedChargeRevenue, AccountKind.Tax, AccountKind.VendorCommission, AccountKind.CustomerDebt];

    private static readonly ReportColumn[] Columns =
    [
        new("day", "Day", ColumnKind.Date), Cells.Text("component", "Component"), Cells.Text("currency", "Currency"),
        Cells.Integer("amountMinor", "Amount (minor units)"), new("amount", "Amount", ColumnKind.Amount),
    ];

    public string Name => "revenue";

    public string Title => "Revenue by tariff component";

    public string Description => "Per local day: energy, fixed charges, each tax, debt recovered and vendors' commission, from the ledger's postings (net of reversals).";

    public IReadOnlyList<string> Groupings => [];

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var (start, end) = (request.Start, request.End);
        var postings = await (from p in db.Postings.AsNoTracking()
                              join t in db.LedgerTransactions.AsNoTracking() on p.TransactionId equals t.Id
                              join d in db.Accounts.AsNoTracking() on p.DebitAccountId equals d.Id
                              join c in db.Accounts.AsNoTracking() on p.CreditAccountId equals c.Id
                              where t.At >= start && t.At < end && (Kinds.Contains(d.Kind) || Kinds.Contains(c.Kind))
                              select new { t.At, t.Kind, DebitKind = d.Kind, DebitCode = d.Code, CreditKind = c.Kind, CreditCode = c.Code, p.Amount, p.Currency }).ToListAsync(ct);
        var sums = new Dictionary<(LocalDate Day, string Component, string Currency), long>();
        foreach (var p in postings)
        {
            var day = request.DayOf(p.At);
            if (Component(p.CreditKind, p.CreditCode, p.Kind) is { } credited)
            {
                sums[(day, credited, p.Currency)] = sums.GetValueOrDefault((day, credited, p.Currency)) + p.Amount;
            }
            if (Component(p.DebitKind, p.DebitCode, p.Kind) is { } debited)
            {
                sums[(day, debited, p.Currency)] = sums.GetValueOrDefault((day, debited, p.Currency)) - p.Amount;
            }
        }
        var rows = sums.OrderBy(s => s.Key.Day).ThenBy(s => Order(s.Key.Component)).ThenBy(s => s.Key.Component, StringComparer.Ordinal).ThenBy(s => s.Key.Currency, StringComparer.Ordinal)
            .Select(s => (IReadOnlyList<object?>)[Cells.Date(s.Key.Day), s.Key.Component, s.Key.Currency, s.Value, Cells.Amount(s.Value, s.Key.Currency)])
            .ToList();
        return new ReportTable(Name, Title, request.From, request.To, request.Zone.Id, clock.GetCurrentInstant(), Columns, rows,
            new ReportChart("component", "amountMinor", "Revenue by component (minor units)"));
    }

    /// <summary>The component an account's movement counts towards, or null when it is none.</summary>
    public static string? Component(AccountKind kind, string code, TransactionKind transaction) => kind switch
    {
        AccountKind.EnergyRevenue => Energy,
        AccountKind.FixedChargeRevenue => FixedCharges,
        AccountKind.Tax => TaxPrefix + code.Split('/')[1], // tax/{name}/{currency}
        AccountKind.VendorCommission => Commission,
        AccountKind.CustomerDebt when transaction is TransactionKind.Vend or TransactionKind.Reversal or TransactionKind.Consumption => DebtRecovered,
        _ => null,
    };

    private static int Order(string component) => component switch
    {
        Energy => 0,
        FixedCharges => 1,
        DebtRecovered => 3,
        Commission => 4,
        _ => 2, // taxes
    };
}
