using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepay.Storage;
using Prepay.Vending;
using Prepay.Vending.Reversals;
using static Microsoft.Playwright.Assertions;

namespace Prepay.Web.Tests;

/// <summary>
/// The clerk's day at the counter: sales with receipts, a reprint, the PDF receipt carrying the token, and the
/// end-of-day cash-up whose totals are the sales made, reconciled with the float in the ledger. Its own server, so
/// that no other test's sale lands in this clerk's day.
/// </summary>
public sealed partial class CashUpPagesTests(WebFixture web) : IClassFixture<WebFixture>
{
    [GeneratedRegex(@"^\d{4} \d{4} \d{4} \d{4} \d{4}$")]
    private static partial Regex GroupedToken();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Guid VendId, string Token, string Amount)> SellAsync(IPage page, string site, string room, string amount, string screenshot)
    {
        await page.GotoAsync("/pos");
        await CustomerPages.ScreenshotAsync(page, screenshot + "-pos");
        await page.GetByLabel("Site code").FillAsync(site);
        await page.GetByLabel("Room or unit").FillAsync(room);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find meter" }).ClickAsync();
        await Expect(page.Locator("#found")).ToBeVisibleAsync();
        await CustomerPages.ScreenshotAsync(page, screenshot + "-found");
        await page.GetByLabel("Amount (ZAR)").FillAsync(amount);
        await page.GetByLabel("The customer confirmed the name").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take payment and vend" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/pos/receipts/[0-9a-f-]{36}$"));
        await CustomerPages.ScreenshotAsync(page, screenshot);
        var token = (await page.Locator("#token").InnerTextAsync()).Trim();
        Assert.Matches(GroupedToken(), token);
        var paid = (await page.Locator("#receipt-amount").InnerTextAsync()).Trim();
        return (Guid.Parse(page.Url[^36..]), token, paid);
    }

    [Fact]
    public async Task Clerk_sells_prints_a_pdf_receipt_and_cashes_up_to_the_ledger()
    {
        var page = await CustomerPages.SignInAsync(web, web.Logins.Clerk.UserName, web.Logins.Clerk.Password, "cashup-clerk", web.Logins.Clerk.AuthenticatorKey);
        var first = await SellAsync(page, "SUNRISE", "A-105", "100.00", "cashup-receipt-1");

        // Reprint, then the PDF of the reprint: the same token, in groups of four, inside a real PDF.
        await page.GetByRole(AriaRole.Link, new() { Name = "Reprint" }).ClickAsync();
        await Expect(page.Locator("#reprint-mark")).ToBeVisibleAsync();
        Assert.Equal(first.Token, (await page.Locator("#token").InnerTextAsync()).Trim());
        await CustomerPages.ScreenshotAsync(page, "cashup-receipt-reprint");
        var pdfAddress = await page.Locator("#receipt-pdf").GetAttributeAsync("href");
        var pdf = await page.Context.APIRequest.GetAsync(pdfAddress!);
        Assert.Equal(200, pdf.Status);
        Assert.StartsWith("application/pdf", pdf.Headers["content-type"], StringComparison.Ordinal);
        var bytes = await pdf.BodyAsync();
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        var texts = PdfText.Decodings(bytes);
        Assert.Contains(texts, t => t.Contains(first.Token, StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("REPRINT", StringComparison.Ordinal) && t.Contains("10000000005", StringComparison.Ordinal));

        var second = await SellAsync(page, "UNIDORM", "R-107", "50.00", "cashup-receipt-2");
        var third = await SellAsync(page, "SUNRISE", "A-106", "20.00", "cashup-receipt-3");
        // An operator asks to reverse the third sale (a wrong meter), a token vend, and a second person approves it.
        var requested = await web.Services.GetRequiredService<ReversalService>()
            .ReverseAsync(third.VendId, "sold to the wrong meter", new Actor(Guid.NewGuid(), "operator-test", Role.Operator, null, null), Ct);
        var approval = Assert.IsType<ReversalOutcome.ApprovalRequested>(requested).Approval;
        var approved = await web.Services.GetRequiredService<Prepay.Vending.Approvals.MoneyApprovals>()
            .ApproveAsync(approval.Id, new Actor(Guid.NewGuid(), "admin-test", Role.Admin, null, null), Ct);
        Assert.IsType<Prepay.Vending.Approvals.ApprovalOutcome.Approved>(approved);

        await page.GotoAsync("/pos");
        await CustomerPages.ScreenshotAsync(page, "cashup-pos-end-of-day");
        await page.GetByRole(AriaRole.Link, new() { Name = "End-of-day cash-up" }).ClickAsync();
        await Expect(page.Locator("#cashup-summary")).ToBeVisibleAsync();
        await CustomerPages.ScreenshotAsync(page, "cashup");

        var amounts = new[] { first.Amount, second.Amount, third.Amount };
        Assert.Equal(["ZAR 100.00", "ZAR 50.00", "ZAR 20.00"], amounts);
        await Expect(page.Locator("#cashup-sales")).ToHaveTextAsync("3, ZAR 170.00");
        await Expect(page.Locator("#cashup-reversed")).ToHaveTextAsync("1, ZAR 20.00");
        await Expect(page.Locator("#cashup-cash")).ToHaveTextAsync("ZAR 150.00");
        // 2.5 % commission on what stayed sold (the reversal took its 0.50 back).
        await Expect(page.Locator("#cashup-commission")).ToHaveTextAsync("ZAR 3.75");
        await Expect(page.Locator("#cashup-float-start")).ToHaveTextAsync("ZAR 50000.00");
        await Expect(page.Locator("#cashup-float-end")).ToHaveTextAsync("ZAR 49850.00");
        await Expect(page.Locator("#cashup-float-expected")).ToHaveTextAsync("ZAR 49850.00");
        await Expect(page.Locator("#cashup-reconciled")).ToContainTextAsync("Reconciled");
        await Expect(page.Locator("#cashup-channels [data-channel=pos]")).ToContainTextAsync("170.00");
        await Expect(page.Locator("#cashup-vends tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator($"#cashup-vends tr[data-vend='{third.VendId}']")).ToContainTextAsync("(reversed)");

        // The totals are the vends the database holds for this vendor today, and the float is the ledger's.
        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var shop = await db.Vendors.Where(v => v.Code == Prepay.Server.Demo.DemoData.ShopVendor).Select(v => v.Id).SingleAsync(Ct);
        Assert.Equal(17000, await db.Vends.Where(v => v.VendorId == shop).SumAsync(v => v.AmountMinor, Ct));
        var floatAccount = Prepay.Ledger.Accounts.AccountCode.VendorFloat(shop, "ZAR");
        Assert.Equal(4_985_000, await Prepay.Storage.Ledger.LedgerStore.BalanceAsync(db, floatAccount, Ct));
        var actions = await db.Audit.Where(a => a.Actor == "vendor:clerk/clerk").Select(a => a.Action).ToListAsync(Ct);
        Assert.Contains("pos.receipt.pdf", actions);
        Assert.Contains("pos.cashup.view", actions);

        // Yesterday: nothing sold, the float unchanged.
        await page.GotoAsync("/pos/cash-up?day=2026-11-22");
        await Expect(page.Locator("#cashup-sales")).ToHaveTextAsync("0, ZAR 0.00");
        await Expect(page.Locator("#cashup-float-end")).ToHaveTextAsync("ZAR 50000.00");
        await Expect(page.Locator("#cashup-reconciled")).ToContainTextAsync("Reconciled");
        await CustomerPages.ScreenshotAsync(page, "cashup-yesterday");
    }
}
