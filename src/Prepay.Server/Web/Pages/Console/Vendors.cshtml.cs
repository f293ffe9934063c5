using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Domain.Vendors;
using Prepay.Ledger.Accounts;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Vending.Approvals;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Vendors with their float (what they may still sell) and commission earned, from the ledger; a deposit asks for
/// money a vendor paid in to be added, as the API does: another administrator approves it on the approvals page.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class VendorsModel(PrepayDb db, FloatDeposits deposits, IClock clock) : PageModel
{
    public sealed record Row(string Code, string Name, string Channel, string Commission, string Float, string Earned, string Currency);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    [BindProperty]
    public string? VendorCode { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostDepositAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(VendorCode))
        {
            Error = "Choose the vendor who paid in.";
        }
        else
        {
            switch (await deposits.RequestAsync(VendorCode, Amount?.Trim(), Reference, StaffActor.Of(User), ct))
            {
                case ApprovalOutcome.Requested r:
                    Message = $"Asked for {r.Approval.Currency} {r.Approval.Amount} into {VendorCode}'s float; another administrator approves it under Approvals, and the float grows then.";
                    IdempotencyKey = null;
                    Amount = null;
                    Reference = null;
                    break;
                case ApprovalOutcome.Invalid i:
                    Error = $"{i.Field}: {i.Message}.";
                    break;
                case ApprovalOutcome.OverLimit o:
                    Error = o.Detail;
                    break;
                case ApprovalOutcome.NotFound:
                    Error = "No such vendor.";
                    break;
                default:
                    throw new InvalidOperationException("Unhandled deposit outcome.");
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = new List<Row>();
        foreach (var v in await db.Vendors.AsNoTracking().OrderBy(v => v.Code).ToListAsync(ct))
        {
            var currency = Currency.FromCode(v.Currency);
            var balance = await LedgerStore.BalanceAsync(db, AccountCode.VendorFloat(v.Id, v.Currency), ct);
            var earned = await LedgerStore.BalanceAsync(db, AccountCode.VendorCommission(v.Id, v.Currency), ct);
            rows.Add(new Row(v.Code, v.Name, ChannelText(v.Channel), $"{v.CommissionBasisPoints / 100m:0.00} %", new Money(balance, currency).ToDecimalString(),
                new Money(earned, currency).ToDecimalString(), v.Currency));
        }
        Rows = rows;
        IdempotencyKey ??= "float-" + Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()).ToString("N");
    }

    private static string ChannelText(VendorChannel channel) => channel.ToString();
}
