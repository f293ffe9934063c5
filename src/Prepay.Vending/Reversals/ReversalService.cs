using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Approvals;
using Prepay.Storage.Records.Metering;
using Prepay.Vending.Approvals;
using Prepay.Vending.Contracts;

namespace Prepay.Vending.Reversals;

/// <summary>
/// Undoes a vend inside the reversal window with a compensating ledger transaction: every posting of the vend
/// mirrored, in reverse order, so the customer's credit is refilled before it is drawn back. The vend id as primary
/// key of <c>vend_reversals</c> makes a second reversal impossible; nothing is updated or deleted. A smart meter's vend
/// is reversed at once (its credit command withdrawn in the same transaction); a token vend's needs a second person;
/// a vend paid online is undone only by refunding the payment.
/// </summary>
public sealed class ReversalService(IServiceScopeFactory scopes, IClock clock, VendingOptions options, MoneyApprovals approvals)
{
    public const int MaxReasonLength = 500;

    public async Task<ReversalOutcome> ReverseAsync(Guid vendId, string? reason, Actor actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            return new ReversalOutcome.Invalid(new Dictionary<string, string[]> { ["reason"] = [$"is required, at most {MaxReasonLength} characters"] });
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                return await ReverseOnceAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), vendId, reason.Trim(), actor, ct);
            }
            catch (Exception e) when (WriteTransactions.IsTransient(e) && attempt < 5)
            {
            }
        }
    }

    private async Task<ReversalOutcome> ReverseOnceAsync(PrepayDb db, Guid vendId, string reason, Actor actor, CancellationToken ct)
    {
        var vend = await db.Vends.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendId, ct);
        if (vend is null)
        {
            return new ReversalOutcome.NotFound();
        }
        if (await ExistingAsync(db, vend, ct) is { } earlier)
        {
            return new ReversalOutcome.AlreadyReversed(earlier);
        }
        if (await PaidOnlineAsync(db, vend, ct) is { } paid)
        {
            return paid;
        }
        var now = clock.GetCurrentInstant();
        if (!await SentCreditByCommandAsync(db, vend, ct))
        {
            return await RequestApprovalAsync(db, vend, reason, actor, now, ct);
        }

        await using var tx = await db.BeginWriteAsync(ct);
        var (refused, transactionId) = await AddReversalAsync(db, vend, reason, actor, now, ct);
        if (refused is not null)
        {
            await tx.RollbackAsync(ct);
            return refused;
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (WriteTransactions.IsUniqueViolation(e))
        {
            await tx.RollbackAsync(ct);
            await using var fresh = scopes.CreateAsyncScope();
            return new ReversalOutcome.AlreadyReversed((await ExistingAsync(fresh.ServiceProvider.GetRequiredService<PrepayDb>(), vend, ct))!);
        }
        catch (Exception e) when (WriteTransactions.IsBelowMinimumBalance(e))
        {
            return new ReversalOutcome.Conflict("credit-already-spent",
                "The remainder this vend left on the customer's account has since been spent; reverse the later vend first.");
        }
        return new ReversalOutcome.Reversed(Response(vend, transactionId, reason, actor.AuditName, now));
    }

    /// <summary>
    /// A token vend's credit went to a person, who may have typed it in already: its reversal is asked for here and
    /// made when a second person approves it (<c>Approvals/VendReversalApprovals</c>), the rules checked again then.
    /// Asking twice for one vend finds the request already waiting.
    /// </summary>
    private async Task<ReversalOutcome> RequestApprovalAsync(PrepayDb db, VendRecord vend, string reason, Actor actor, Instant now, CancellationToken ct)
    {
        if (WindowClosed(vend, now) is { } closed)
        {
            return closed;
        }
        var target = $"vend/{vend.Id}";
        if (await db.MoneyApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.Kind == ApprovalKind.VendReversal && a.Target == target && a.State == ApprovalState.Requested, ct) is { } waiting)
        {
            return new ReversalOutcome.ApprovalRequested(ApprovalView.Of(waiting));
        }
        var approval = approvals.Request(db, ApprovalKind.VendReversal, target, new VendReversalApprovals.Payload(vend.Id),
            new Money(vend.AmountMinor, Currency.FromCode(vend.Currency)), reason, actor);
        await db.QueuedAsync(() => db.SaveChangesAsync(ct), ct);
        return new ReversalOutcome.ApprovalRequested(ApprovalView.Of(approval));
    }

    /// <summary>
    /// Adds the reversal's rows to <paramref name="db"/> inside the caller's write transaction, after checking the
    /// window and withdrawing a smart meter's queued credit; the caller saves and commits. Refusals come back named.
    /// </summary>
    internal async Task<(ReversalOutcome? Refused, Guid TransactionId)> AddReversalAsync(PrepayDb db, VendRecord vend, string reason, Actor actor, Instant now, CancellationToken ct)
    {
        var transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
        if (WindowClosed(vend, now) is { } closed)
        {
            return (closed, transactionId);
        }
        return await AddCompensationAsync(db, vend, transactionId, reason, actor, now, ct);
    }

    /// <summary>
    /// The reversal a refund of an online payment makes, inside the refund approval's write transaction: the same
    /// compensating postings, <c>vend_reversals</c> row and withdrawal of a smart meter's queued credit as any
    /// reversal, without the reversal window (a payer may ask for their money back later; two people decide instead).
    /// The caller saves and commits; refusals come back named.
    /// </summary>
    public Task<(ReversalOutcome? Refused, Guid TransactionId)> AddRefundReversalAsync(PrepayDb db, VendRecord vend, string reason, Actor actor, Instant now, CancellationToken ct) =>
        AddCompensationAsync(db, vend, Guid.CreateVersion7(now.ToDateTimeOffset()), reason, actor, now, ct);

    private async Task<(ReversalOutcome? Refused, Guid TransactionId)> AddCompensationAsync(PrepayDb db, VendRecord vend, Guid transactionId, string reason, Actor actor, Instant now, CancellationToken ct)
    {
        if (await WithdrawCreditCommandsAsync(db, vend, ct) is { } sent)
        {
            return (sent, transactionId);
        }
        var original = await db.Postings.AsNoTracking().Where(p => p.TransactionId == vend.TransactionId).OrderByDescending(p => p.Id).ToListAsync(ct);
        db.LedgerTransactions.Add(new StoredTransaction
        {
            Id = transactionId,
            Kind = TransactionKind.Reversal,
            // The column holds 200 characters; the whole reason is on the vend_reversals row.
            Description = Shorten($"reversal of vend {vend.Id:N}: {reason}", 200),
            At = now,
            Reference = vend.Id.ToString("N"),
        });
        foreach (var p in original)
        {
            db.Postings.Add(new StoredPosting
            {
                TransactionId = transactionId,
                DebitAccountId = p.CreditAccountId,
                CreditAccountId = p.DebitAccountId,
                Amount = p.Amount,
                Currency = p.Currency,
            });
        }
        // The vend id is the reversal's primary key: of two racing reversals the database admits one.
        db.VendReversals.Add(new VendReversal { VendId = vend.Id, TransactionId = transactionId, Reason = reason, Actor = actor.AuditName, At = now });
        db.Audit.Add(new AuditRecord { At = now, Actor = actor.AuditName, ActorId = actor.AuditId, Action = "vend.reverse", Target = $"vend/{vend.Id}", Details = reason });
        return (null, transactionId);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private ReversalOutcome.Conflict? WindowClosed(VendRecord vend, Instant now) =>
        now - vend.At > options.ReversalDuration
            ? new ReversalOutcome.Conflict("reversal-window-closed",
                $"Vend {vend.Id} was made at {InstantPattern.ExtendedIso.Format(vend.At)}; reversals are allowed for {options.ReversalWindow.TotalMinutes:0} minutes.")
            : null;

    /// <summary>
    /// A vend paid online is undone only by refunding its payment: reversing the sale alone would keep the payer's
    /// money, and the refund request (two people) reverses the vend itself.
    /// </summary>
    internal static async Task<ReversalOutcome.Conflict?> PaidOnlineAsync(PrepayDb db, VendRecord vend, CancellationToken ct) =>
        await db.PaymentSessions.AsNoTracking().Where(s => s.VendId == vend.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct) is { } paymentId
            ? new ReversalOutcome.Conflict("paid-online",
                $"Vend {vend.Id} was paid online (payment {paymentId}); it is reversed only by refunding that payment: POST /api/v1/payments/{paymentId}/refund-requests.")
            : null;

    private static Task<bool> SentCreditByCommandAsync(PrepayDb db, VendRecord vend, CancellationToken ct)
    {
        var reference = CreditCommandReference.For(vend.Id);
        return db.MeterCommands.AnyAsync(c => c.MeterId == vend.MeterId && c.CreatedAt >= vend.At && c.Reference == reference, ct);
    }

    /// <summary>
    /// A smart meter's vend sent its credit as a command (<c>vend {id}</c>). Reversing the money while the credit
    /// reaches the meter would give energy nobody paid for, so the command is cancelled in the reversal's own
    /// transaction while it is still queued, by a conditional update the dispatcher's claim cannot race; once it has
    /// been sent the meter may have applied it, and the reversal is refused (recover the energy as debt instead).
    /// </summary>
    private static async Task<ReversalOutcome?> WithdrawCreditCommandsAsync(PrepayDb db, VendRecord vend, CancellationToken ct)
    {
        var reference = CreditCommandReference.For(vend.Id);
        var commands = db.MeterCommands.Where(c => c.MeterId == vend.MeterId && c.CreatedAt >= vend.At && c.Reference == reference);
        var total = await commands.CountAsync(ct);
        if (total == 0)
        {
            return null;
        }
        var cancelled = await commands.Where(c => c.State == CommandState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Cancelled).SetProperty(c => c.Outcome, "cancelled: vend reversed"), ct);
        return cancelled == total ? null : new ReversalOutcome.Conflict("credit-sent-to-meter",
            $"The credit of vend {vend.Id} has been sent to meter {vend.MeterNumber} and may be on it; it cannot be reversed. Recover it as debt instead.");
    }

    /// <summary>
    /// Read-only, for a request made now and decided later: null while every credit command of the vend is still
    /// queued (the decision can withdraw it), the same refusal as a reversal once one has gone to the meter.
    /// </summary>
    public static async Task<ReversalOutcome.Conflict?> CreditSentToMeterAsync(PrepayDb db, VendRecord vend, CancellationToken ct)
    {
        var reference = CreditCommandReference.For(vend.Id);
        return await db.MeterCommands.AnyAsync(c => c.MeterId == vend.MeterId && c.CreatedAt >= vend.At && c.Reference == reference && c.State != CommandState.Queued, ct)
            ? new ReversalOutcome.Conflict("credit-sent-to-meter",
                $"The credit of vend {vend.Id} has been sent to meter {vend.MeterNumber} and may be on it; it cannot be reversed. Recover it as debt instead.")
            : null;
    }

    /// <summary>The reversal of <paramref name="vend"/>, if it was reversed.</summary>
    public static async Task<ReversalResponse?> ExistingAsync(PrepayDb db, VendRecord vend, CancellationToken ct)
    {
        var r = await db.VendReversals.AsNoTracking().FirstOrDefaultAsync(x => x.VendId == vend.Id, ct);
        return r is null ? null : Response(vend, r.TransactionId, r.Reason, r.Actor, r.At);
    }

    private static ReversalResponse Response(VendRecord vend, Guid transactionId, string reason, string by, Instant at) =>
        new(vend.Id, transactionId, reason, by, InstantPattern.ExtendedIso.Format(at),
            new Money(vend.AmountMinor, Currency.FromCode(vend.Currency)).ToDecimalString(), vend.Currency);
}
