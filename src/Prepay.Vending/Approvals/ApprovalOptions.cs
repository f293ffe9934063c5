using NodaTime;
using Prepay.Domain.Money;

namespace Prepay.Vending.Approvals;

/// <summary>
/// Limits on money that moves outside a sale, bound from <c>Vending:Approvals</c>. Amounts are whole units of the
/// currency concerned (a ZAR cap of 100000 is R 100 000.00), so one setting serves every currency.
/// </summary>
public sealed class ApprovalOptions
{
    public const string Section = "Vending:Approvals";

    /// <summary>Largest single float deposit. Default 1 000 000; 1 to 10^12.</summary>
    public long DepositCap { get; set; } = 1_000_000;

    /// <summary>The vendor whose float pays for goodwill credit (an admin's "add credit"); never a reseller's. Default <c>GOODWILL</c>.</summary>
    public string GoodwillVendor { get; set; } = "GOODWILL";

    /// <summary>Goodwill credit given per calendar month (UTC), approved and pending together. Default 5 000; 0 to 10^9.</summary>
    public long GoodwillMonthlyBudget { get; set; } = 5_000;

    /// <summary>Largest single debt load. Default 10 000; 1 to 10^9.</summary>
    public long DebtLoadCap { get; set; } = 10_000;

    /// <summary>Most a customer may owe after a load, what is outstanding and pending loads included. Default 50 000; 1 to 10^9.</summary>
    public long DebtCustomerCap { get; set; } = 50_000;

    /// <summary>How long a request waits for its second person before it expires. Default 7 days; 1 hour to 90 days.</summary>
    public TimeSpan RequestLifetime { get; set; } = TimeSpan.FromDays(7);

    public Duration RequestDuration => Duration.FromTimeSpan(RequestLifetime);

    public static Money Whole(long units, Currency currency) => new(checked(units * currency.MinorPerMajor), currency);

    public string? Validate() =>
        DepositCap is < 1 or > 1_000_000_000_000 ? "Vending:Approvals:DepositCap must be between 1 and 10^12"
        : string.IsNullOrWhiteSpace(GoodwillVendor) ? "Vending:Approvals:GoodwillVendor is required"
        : GoodwillMonthlyBudget is < 0 or > 1_000_000_000 ? "Vending:Approvals:GoodwillMonthlyBudget must be between 0 and 10^9"
        : DebtLoadCap is < 1 or > 1_000_000_000 ? "Vending:Approvals:DebtLoadCap must be between 1 and 10^9"
        : DebtCustomerCap is < 1 or > 1_000_000_000 ? "Vending:Approvals:DebtCustomerCap must be between 1 and 10^9"
        : RequestLifetime < TimeSpan.FromHours(1) || RequestLifetime > TimeSpan.FromDays(90) ? "Vending:Approvals:RequestLifetime must be between 1 hour and 90 days"
        : null;
}
