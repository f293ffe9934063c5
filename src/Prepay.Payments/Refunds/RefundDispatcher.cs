using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;

namespace Prepay.Payments.Refunds;

/// <summary>
/// Calls the providers for approved refunds (<c>payment_refunds</c>, written by the approval's transaction: nothing
/// reaches a provider before that commit) and records their answers, retrying with exponential back-off until the
/// provider pays or refuses, or <see cref="RefundOptions.MaxAttempts"/> calls failed.
/// <para>
/// A round claims due refunds in one short statement (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, the write lock on
/// SQLite) that counts the attempt, marks them sent and moves <c>next_attempt_at</c> a lease ahead; then it calls the
/// provider for each, with the refund's id as the provider's idempotency key, and records the answer by a
/// conditional update on that attempt. A server that dies between the call and the record leaves the refund to be
/// called again after the lease: the provider, keyed by the refund id, answers the same refund and pays once.
/// </para>
/// <para>
/// Refunded: the amount leaves the provider's refunds-owed account for the outside world, in the transaction that
/// records the answer. Failed: it stays owed, and the refund is listed for staff. Each answer is audited.
/// </para>
/// </summary>
public sealed class RefundDispatcher(
    IServiceScopeFactory scopes,
    IEnumerable<IRefundingProvider> providers,
    LedgerStore ledger,
    IClock clock,
    RefundOptions options,
    ILogger<RefundDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, IRefundingProvider> _providers = providers.ToDictionary(p => p.Name, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchOnceAsync(stoppingToken) == options.BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Refund dispatch failed; trying again");
            }
            try
            {
                await Task.Delay(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: a claimed refund is called again after its lease, here or elsewhere
            }
        }
    }

    /// <summary>One round: claim what is due, call its provider, record the answer. Returns how many were claimed.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var claimedAt = clock.GetCurrentInstant();
        var due = await ClaimAsync(db, claimedAt, ct);
        var lastStart = claimedAt + Duration.FromTimeSpan(options.ClaimLease - options.CallTimeout);
        foreach (var refund in due)
        {
            // Ours until the lease ends: one whose call could outlast it is left for the next claim.
            if (clock.GetCurrentInstant() > lastStart)
            {
                break;
            }
            var answer = await CallAsync(refund, ct);
            await RecordAsync(db, refund, answer, CancellationToken.None);
        }
        return due.Count;
    }

    private async Task<RefundAnswer> CallAsync(PaymentRefund refund, CancellationToken ct)
    {
        if (!_providers.TryGetValue(refund.Provider, out var provider))
        {
            return new RefundAnswer.Unavailable($"the {refund.Provider} provider is not enabled on this server");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.CallTimeout);
        try
        {
            return await provider.RefundAsync(new RefundOrder(refund.Id, refund.ProviderPaymentId, new Money(refund.AmountMinor, Currency.FromCode(refund.Currency))), timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new RefundAnswer.Unavailable(e is OperationCanceledException ? $"no answer within {options.CallTimeout.TotalSeconds:0} s" : e.Message);
        }
    }

    /// <summary>
    /// The answer to the attempt this round claimed, by a conditional update on (state sent, that attempt): a refund
    /// claimed again elsewhere after its lease is recorded by the later attempt only.
    /// </summary>
    private async Task RecordAsync(PrepayDb db, PaymentRefund refund, RefundAnswer answer, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var amount = new Money(refund.AmountMinor, Currency.FromCode(refund.Currency));
        var owed = AccountCode.RefundsOwed(refund.Provider, refund.Currency);
        if (answer is RefundAnswer.Refunded)
        {
            await ledger.EnsureAsync(db, [owed, AccountCode.External(refund.Currency)], ct);
        }
        var (state, next, error) = answer switch
        {
            RefundAnswer.Refunded => (RefundState.Refunded, refund.NextAttemptAt, (string?)null),
            RefundAnswer.Refused r => (RefundState.Failed, refund.NextAttemptAt, r.Reason),
            RefundAnswer.Unavailable u when refund.Attempts >= options.MaxAttempts => (RefundState.Failed, refund.NextAttemptAt, u.Reason),
            RefundAnswer.Unavailable u => (RefundState.Sent, now + RetryDelay(refund.Attempts), u.Reason),
            _ => throw new InvalidOperationException($"Unknown answer {answer}"),
        };
        var reference = (answer as RefundAnswer.Refunded)?.Reference;
        Instant? completed = state is RefundState.Refunded or RefundState.Failed ? now : null;
        error = error is { Length: > 500 } ? error[..500] : error;
        await using var tx = await db.BeginWriteAsync(ct);
        var moved = await db.PaymentRefunds.Where(r => r.Id == refund.Id && r.State == RefundState.Sent && r.Attempts == refund.Attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, state).SetProperty(r => r.NextAttemptAt, next).SetProperty(r => r.LastError, error)
                .SetProperty(r => r.ProviderReference, reference).SetProperty(r => r.CompletedAt, completed), ct);
        if (moved == 0)
        {
            await tx.RollbackAsync(ct);
            return;
        }
        if (answer is RefundAnswer.Refunded)
        {
            await ledger.AddAsync(db, new LedgerTransaction.Builder(Guid.CreateVersion7(now.ToDateTimeOffset()), TransactionKind.Refund, $"refund {refund.Id:N} paid to the payer by {refund.Provider}")
                .Move(owed, AccountCode.External(refund.Currency), amount).Build(), now, reference, ct);
        }
        var action = state switch { RefundState.Refunded => "payment.refund.refunded", RefundState.Failed => "payment.refund.failed", _ => "payment.refund.retry" };
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = "payments:" + refund.Provider, Action = action, Target = RefundRequests.Target(refund.PaymentId),
            Details = $"refund {refund.Id}, attempt {refund.Attempts}: " + (reference is not null ? $"{amount} refunded, provider reference {reference}"
                : state == RefundState.Failed ? $"{amount} stays owed to the payer: {error}" : $"{error}; next attempt at {next}"),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (state == RefundState.Failed)
        {
            logger.LogWarning("Refund {Id} of payment {Payment} failed after {Attempts} attempts: {Error}", refund.Id, refund.PaymentId, refund.Attempts, error);
        }
    }

    /// <summary>
    /// One statement claims a batch: counts the attempt, marks it sent and moves <c>next_attempt_at</c> to the lease's
    /// end, so no other round or server takes the same rows. Idle rounds only read.
    /// </summary>
    private async Task<List<PaymentRefund>> ClaimAsync(PrepayDb db, Instant now, CancellationToken ct)
    {
        if (!await db.PaymentRefunds.AnyAsync(r => (r.State == RefundState.Requested || r.State == RefundState.Sent) && r.NextAttemptAt <= now, ct))
        {
            return [];
        }
        var ticks = now.ToUnixTimeTicks();
        var lease = (now + Duration.FromTimeSpan(options.ClaimLease)).ToUnixTimeTicks();
        var limit = options.BatchSize;
        return await db.QueuedAsync(() => (db.Provider == DatabaseProvider.Postgres
                ? db.PaymentRefunds.FromSql($"UPDATE payment_refunds SET state = 'Sent', attempts = attempts + 1, next_attempt_at = {lease} WHERE id IN (SELECT id FROM payment_refunds WHERE state IN ('Requested', 'Sent') AND next_attempt_at <= {ticks} ORDER BY next_attempt_at LIMIT {limit} FOR UPDATE SKIP LOCKED) RETURNING *")
                : db.PaymentRefunds.FromSql($"UPDATE payment_refunds SET state = 'Sent', attempts = attempts + 1, next_attempt_at = {lease} WHERE id IN (SELECT id FROM payment_refunds WHERE state IN ('Requested', 'Sent') AND next_attempt_at <= {ticks} ORDER BY next_attempt_at LIMIT {limit}) RETURNING *"))
            .AsNoTracking().ToListAsync(ct), ct);
    }

    /// <summary>First delay after the first failure, doubled after each further one, at most the maximum.</summary>
    public Duration RetryDelay(int attempts)
    {
        var seconds = options.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return Duration.FromSeconds(Math.Min(options.MaxRetryDelay.TotalSeconds, seconds));
    }
}
