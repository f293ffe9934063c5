using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Metering;
using Prepay.Vending.Contracts;

namespace Prepay.Vending.Reversals;

/// <summary>
/// Undoes a vend inside the reversal window with a compensating ledger transaction: every posting of the vend
/// mirrored, in reverse order, so the customer's credit is refilled before it is drawn back. The vend id as primary
/// key of <c>vend_reversals</c> makes a second reversal impossible; nothing is updated or deleted.
/// </summary>
public sealed class ReversalService(IServiceScopeFactory scopes, IClock clock, VendingOptions options)
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
        var now = clock.GetCurrentInstant();
        if (now - vend.At > options.ReversalDuration)
        {
            return new ReversalOutcome.Conflict("reversal-window-closed",
                $"Vend {vendId} was made at {InstantPattern.ExtendedIso.Format(vend.At)}; reversals are allowed for {options.ReversalWindow.TotalMinutes:0} minutes.");
        }

        var transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
        await using var tx = await db.BeginWriteAsync(ct);
        if (await WithdrawCreditCommandsAsync(db, vend, ct) is { } sent)
        {
            await tx.RollbackAsync(ct);
            return sent;
        }
        var original = await db.Postings.AsNoTracking().Where(p => p.TransactionId == vend.TransactionId).OrderByDescending(p => p.Id).ToListAsync(ct);
        db.LedgerTransactions.Add(new StoredTransaction
        {
            Id = transactionId,
            Kind = TransactionKind.Reversal,
            Description = $"reversal of vend {vendId:N}: {reason}",
            At = now,
            Reference = vendId.ToString("N"),
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
        db.VendReversals.Add(new VendReversal { VendId = vendId, TransactionId = transactionId, Reason = reason, Actor = actor.AuditName, At = now });
        db.Audit.Add(new AuditRecord { At = now, Actor = actor.AuditName, Action = "vend.reverse", Target = $"vend/{vendId}", Details = reason });
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
        catch (Exception e) when (WriteTransactions.IsCheckViolation(e, "ck_accounts_minimum_balance"))
        {
            return new ReversalOutcome.Conflict("credit-already-spent",
                "The remainder this vend left on the customer's account has since been spent; reverse the later vend first.");
        }
        return new ReversalOutcome.Reversed(Response(vend, transactionId, reason, actor.AuditName, now));
    }

    /// <summary>
    /// A smart meter's vend sent its credit as a command (<c>vend {id}</c>). Reversing the money while the credit
    /// reaches the meter would give energy nobody paid for, so the command is cancelled in the reversal's own
    /// transaction while it is still queued, by a conditional update the dispatcher's claim cannot race; once it has
    /// been sent the meter may have applied it, and the reversal is refused (recover the energy as debt instead).
    /// </summary>
    private static async Task<ReversalOutcome?> WithdrawCreditCommandsAsync(PrepayDb db, VendRecord vend, CancellationToken ct)
    {
        var reference = $"vend {vend.Id:N}";
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

    private static async Task<ReversalResponse?> ExistingAsync(PrepayDb db, VendRecord vend, CancellationToken ct)
    {
        var r = await db.VendReversals.AsNoTracking().FirstOrDefaultAsync(x => x.VendId == vend.Id, ct);
        return r is null ? null : Response(vend, r.TransactionId, r.Reason, r.Actor, r.At);
    }

    private static ReversalResponse Response(VendRecord vend, Guid transactionId, string reason, string by, Instant at) =>
        new(vend.Id, transactionId, reason, by, InstantPattern.ExtendedIso.Format(at),
            new Money(vend.AmountMinor, Currency.FromCode(vend.Currency)).ToDecimalString(), vend.Currency);
}
