using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Storage.Records.Approvals;

namespace Prepay.Vending.Approvals;

/// <summary>A request as the API and the console show it.</summary>
public sealed record ApprovalView(
    Guid Id, string Kind, string State, string Target, string Amount, string Currency, string Reason,
    Guid RequestedBy, string RequestedByName, string RequestedAt, Guid? DecidedBy, string? DecidedByName, string? DecidedAt, string? Result)
{
    public static ApprovalView Of(MoneyApproval a) => new(
        a.Id, Name(a.Kind), a.State.ToString().ToLowerInvariant(), a.Target,
        new Money(a.AmountMinor, Prepay.Domain.Money.Currency.FromCode(a.Currency)).ToDecimalString(), a.Currency, a.Reason,
        a.RequestedBy, a.RequestedByName, Format(a.RequestedAt), a.DecidedBy, a.DecidedByName, a.DecidedAt is { } d ? Format(d) : null, a.Result);

    /// <summary>The kind as the API names it: <c>float-deposit</c>, <c>debt-write-off</c>, …</summary>
    public static string Name(ApprovalKind kind) => kind switch
    {
        ApprovalKind.FloatDeposit => "float-deposit",
        ApprovalKind.GoodwillCredit => "goodwill-credit",
        ApprovalKind.DebtLoad => "debt-load",
        ApprovalKind.DebtWriteOff => "debt-write-off",
        ApprovalKind.VendReversal => "vend-reversal",
        ApprovalKind.PaymentRefund => "payment-refund",
        ApprovalKind.DisconnectOverride => "disconnect-override",
        ApprovalKind.OpeningBalance => "opening-balance",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Format(Instant i) => InstantPattern.ExtendedIso.Format(i);
}

/// <summary>What asking for, approving or rejecting a request came to.</summary>
public abstract record ApprovalOutcome
{
    /// <summary>Recorded, waiting for a second person.</summary>
    public sealed record Requested(ApprovalView Approval) : ApprovalOutcome;

    /// <summary>Approved now: the money moved in the same transaction.</summary>
    public sealed record Approved(ApprovalView Approval) : ApprovalOutcome;

    public sealed record Rejected(ApprovalView Approval) : ApprovalOutcome;

    /// <summary>Decided before (approved, rejected or expired): nothing more was done.</summary>
    public sealed record AlreadyDecided(ApprovalView Approval) : ApprovalOutcome;

    /// <summary>The one who asked may not decide: a second person must.</summary>
    public sealed record OwnRequest(ApprovalView Approval) : ApprovalOutcome;

    public sealed record NotFound(string Detail) : ApprovalOutcome;

    public sealed record Invalid(string Field, string Message) : ApprovalOutcome;

    /// <summary>Over a cap or budget: refused, nothing written.</summary>
    public sealed record OverLimit(string Code, string Detail) : ApprovalOutcome;

    /// <summary>The money cannot move as asked (the rules say no, at request or at approval): nothing moved.</summary>
    public sealed record Refused(string Code, string Detail) : ApprovalOutcome;
}
