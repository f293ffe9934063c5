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
using Prepay.Vending.Floats;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Vendors with their float (what they may still sell) and commission earned, from the ledger; a deposit records
/// money a vendor paid in, through the float service the API uses, idempotent by the key the form carries.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class VendorsModel(PrepayDb db, FloatService floats, IClock clock) : PageModel
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
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Code == VendorCode, ct);
        if (vendor is null)
        {
            Error = "Choose the vendor who paid in.";
        }
        else if (string.IsNullOrWhiteSpace(Reference))
        {
            Error = "Give the payment's reference (bank statement line, receipt number): it is kept with the deposit.";
        }
        else
        {
            switch (await floats.DepositAsync(vendor.Id, IdempotencyKey, Amount?.Trim(), Reference.Trim(), StaffActor.Of(User), ct))
            {
                case FloatService.Outcome.Done d:
                    Message = d.Deposit.Replayed
                        ? $"This deposit was recorded before; {vendor.Code}'s float is {d.Deposit.Currency} {d.Deposit.Balance}."
                        : $"Recorded {d.Deposit.Currency} {d.Deposit.Amount} for {vendor.Code}; its float is now {d.Deposit.Currency} {d.Deposit.Balance}.";
                    IdempotencyKey = null;
                    Amount = null;
                    Reference = null;
                    break;
                case FloatService.Outcome.Invalid i:
                    Error = $"{i.Field}: {i.Message}.";
                    break;
                case FloatService.Outcome.KeyReused:
                    Error = "This form was used for a different deposit. Reload the page to record a new one.";
                    break;
                case FloatService.Outcome.NotFound:
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
