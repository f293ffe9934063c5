using NodaTime;

namespace Prepay.Reports.Reconciliation;

/// <summary>
/// One difference between records that should agree: what kind (<see cref="Causes"/>), which record (a vend, a
/// ledger transaction, a deposit reference, a payment), the money it concerns when it is money, when, and in words.
/// </summary>
public sealed record ReconciliationDifference(string Cause, string Reference, long? AmountMinor, string? Currency, Instant At, string Detail);

/// <summary>What the period held, to read the differences against.</summary>
public sealed record ReconciliationTotals(
    int Vends, long VendedMinor, long LedgerVendMinor, int Deposits, long DepositedMinor, int PaymentsTaken, long PaymentsMinor, int SmartVends, int CreditRegistered);

/// <summary>The reconciliation of a period: its totals and every difference, in the order of <see cref="Causes"/> then time.</summary>
public sealed record ReconciliationReport(Instant From, Instant To, Instant AsOf, ReconciliationTotals Totals, IReadOnlyList<ReconciliationDifference> Differences);

/// <summary>The causes a difference is put down to.</summary>
public static class Causes
{
    /// <summary>A vend whose ledger transaction is not there.</summary>
    public const string VendWithoutLedger = "vend-without-ledger";

    /// <summary>A vend whose ledger transaction took another amount from the float than the vend's.</summary>
    public const string VendLedgerAmount = "vend-ledger-amount";

    /// <summary>A vend's ledger transaction with no vend.</summary>
    public const string LedgerWithoutVend = "ledger-without-vend";

    /// <summary>A float deposit whose reference the same float was credited under before.</summary>
    public const string DepositRecordedTwice = "deposit-recorded-twice";

    /// <summary>A payment the provider took that was never vended (nor refunded).</summary>
    public const string PaymentNotVended = "payment-not-vended";

    /// <summary>A payment that says it was vended, whose vend is not there.</summary>
    public const string PaymentVendMissing = "payment-vend-missing";

    /// <summary>A smart meter's vend whose credit the meter never acknowledged.</summary>
    public const string CreditNotRegistered = "credit-not-registered";

    /// <summary>A float whose balance is not the sum of its postings.</summary>
    public const string FloatBalanceDiffers = "float-balance-differs";

    public static IReadOnlyList<string> All { get; } =
        [VendWithoutLedger, VendLedgerAmount, LedgerWithoutVend, DepositRecordedTwice, PaymentNotVended, PaymentVendMissing, CreditNotRegistered, FloatBalanceDiffers];
}
