using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Approvals;

namespace Prepay.Vending.Approvals;

/// <summary>
/// Money that moves outside a sale needs two people: one asks (<see cref="RequestAsync"/>), another approves or
/// rejects. Approving marks the request approved by a conditional update and moves the money in the same write
/// transaction, so it happens all or not at all, and once: a second approval finds the request decided and does
/// nothing. People are compared by id (an API key's or a person's), never by name; the database refuses a decision by
/// the one who asked as well. Every request and decision is audited with the actor's id.
/// </summary>
public sealed class MoneyApprovals(IServiceScopeFactory scopes, IClock clock, ApprovalOptions options, IServiceProvider services)
{
    public const int MaxReasonLength = 500;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Resolved on first use: the executors ask for requests through this service, so it cannot take them in its constructor.
    private readonly Lazy<Dictionary<ApprovalKind, IApprovalExecutor>> _executors = new(() => services.GetServices<IApprovalExecutor>().ToDictionary(e => e.Kind));
    private readonly Lazy<Dictionary<ApprovalKind, IApprovalCarrier>> _carriers = new(() => services.GetServices<IApprovalCarrier>().ToDictionary(e => e.Kind));

    public static string? ReasonProblem(string? reason) =>
        string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength ? $"is required, at most {MaxReasonLength} characters" : null;

    /// <summary>
    /// Records a request in <paramref name="db"/> with its audit row; the caller has checked what it asks and saves.
    /// A request needs a requester with an id: the system never asks, it has its own named path.
    /// </summary>
    public MoneyApproval Request(PrepayDb db, ApprovalKind kind, string target, object payload, Money amount, string reason, Actor requester)
    {
        if (requester.AuditId is not { } requesterId)
        {
            throw new InvalidOperationException("A request for approval needs a key or person who asked.");
        }
        var now = clock.GetCurrentInstant();
        var approval = new MoneyApproval
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Kind = kind,
            Target = target,
            Payload = JsonSerializer.Serialize(payload, Json),
            AmountMinor = amount.Minor,
            Currency = amount.Currency.Code,
            Reason = reason.Trim(),
            RequestedBy = requesterId,
            RequestedByName = requester.AuditName,
            RequestedAt = now,
            State = ApprovalState.Requested,
        };
        db.MoneyApprovals.Add(approval);
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = requester.AuditName, ActorId = requesterId, Action = "approval.request", Target = $"approval/{approval.Id}",
            Details = $"{ApprovalView.Name(kind)} {amount} for {target}: {approval.Reason}",
        });
        return approval;
    }

    public async Task<IReadOnlyList<ApprovalView>> ListAsync(ApprovalState? state, int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var query = db.MoneyApprovals.AsNoTracking();
        if (state is { } s)
        {
            query = query.Where(a => a.State == s);
        }
        var rows = await query.OrderByDescending(a => a.RequestedAt).Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct);
        return [.. rows.Select(ApprovalView.Of)];
    }

    public async Task<ApprovalView?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.MoneyApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is { } a ? ApprovalView.Of(a) : null;
    }

    public async Task<ApprovalOutcome> RejectAsync(Guid id, string? note, Actor decider, CancellationToken ct)
    {
        if (note is { Length: > MaxReasonLength })
        {
            return new ApprovalOutcome.Invalid("note", $"at most {MaxReasonLength} characters");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await DecideAsync(db, id, decider, ApprovalState.Rejected, "rejected" + (string.IsNullOrWhiteSpace(note) ? "" : ": " + note.Trim()), ct);
    }

    public async Task<ApprovalOutcome> ApproveAsync(Guid id, Actor approver, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
                return await DecideAsync(db, id, approver, ApprovalState.Approved, null, ct);
            }
            catch (Exception e) when (WriteTransactions.IsTransient(e) && attempt < 5)
            {
                // A PostgreSQL deadlock or serialisation failure rolled everything back: decide again from the start.
            }
        }
    }

    private async Task<ApprovalOutcome> DecideAsync(PrepayDb db, Guid id, Actor decider, ApprovalState decision, string? note, CancellationToken ct)
    {
        var approval = await db.MoneyApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (approval is null)
        {
            return new ApprovalOutcome.NotFound($"No approval request {id}.");
        }
        if (approval.State != ApprovalState.Requested)
        {
            return new ApprovalOutcome.AlreadyDecided(ApprovalView.Of(approval));
        }
        if (decider.AuditId is not { } deciderId || deciderId == approval.RequestedBy)
        {
            return new ApprovalOutcome.OwnRequest(ApprovalView.Of(approval));
        }
        var now = clock.GetCurrentInstant();
        if (now - approval.RequestedAt > options.RequestDuration)
        {
            decision = ApprovalState.Expired;
            note = $"expired: not decided within {options.RequestLifetime.TotalHours:0} hours";
        }
        if (decision == ApprovalState.Approved && _carriers.Value.TryGetValue(approval.Kind, out var carrier))
        {
            var carried = await carrier.ApproveAsync(approval, decider, (txDb, result, c) => MarkAsync(txDb, approval, decider, deciderId, decision, result, now, c), ct);
            var after = await db.MoneyApprovals.AsNoTracking().FirstAsync(a => a.Id == id, ct);
            return carried switch
            {
                Execution.Done when after.State == ApprovalState.Approved => new ApprovalOutcome.Approved(ApprovalView.Of(after)),
                Execution.Refused r when after.State == ApprovalState.Requested => new ApprovalOutcome.Refused(r.Code, r.Detail),
                _ => new ApprovalOutcome.AlreadyDecided(ApprovalView.Of(after)),
            };
        }
        var executor = decision == ApprovalState.Approved ? _executors.Value[approval.Kind] : null;
        if (executor is not null)
        {
            await executor.PrepareAsync(db, approval, ct);
        }

        await using var tx = await db.BeginWriteAsync(ct);
        if (executor is not null)
        {
            switch (await executor.ExecuteAsync(db, approval, decider, now, ct))
            {
                case Execution.Refused r:
                    await tx.RollbackAsync(ct);
                    return new ApprovalOutcome.Refused(r.Code, r.Detail);
                case Execution.Done d:
                    note = d.Result;
                    break;
            }
        }
        if (!await MarkAsync(db, approval, decider, deciderId, decision, note, now, ct))
        {
            await tx.RollbackAsync(ct);
            return new ApprovalOutcome.AlreadyDecided(ApprovalView.Of(await db.MoneyApprovals.AsNoTracking().FirstAsync(a => a.Id == id, ct)));
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (WriteTransactions.IsBelowMinimumBalance(e))
        {
            return new ApprovalOutcome.Refused("insufficient-balance", "An account this would draw on has too little in it now (a float, or credit already spent); nothing moved.");
        }
        catch (Exception e) when (WriteTransactions.IsUniqueViolation(e))
        {
            return new ApprovalOutcome.Refused("already-done", "What this request asks for was done meanwhile by another path; nothing moved.");
        }
        var decided = await db.MoneyApprovals.AsNoTracking().FirstAsync(a => a.Id == id, ct);
        return decided.State switch
        {
            ApprovalState.Approved => new ApprovalOutcome.Approved(ApprovalView.Of(decided)),
            ApprovalState.Rejected => new ApprovalOutcome.Rejected(ApprovalView.Of(decided)),
            _ => new ApprovalOutcome.AlreadyDecided(ApprovalView.Of(decided)),
        };
    }

    /// <summary>
    /// The decision, inside the caller's write transaction: a move out of Requested (of two racing deciders the
    /// database lets one through, false for the other) and its audit row, saved with whatever the decision moves.
    /// </summary>
    private static async Task<bool> MarkAsync(PrepayDb db, MoneyApproval approval, Actor decider, Guid deciderId, ApprovalState decision, string? note, Instant now, CancellationToken ct)
    {
        var moved = await db.MoneyApprovals.Where(a => a.Id == approval.Id && a.State == ApprovalState.Requested)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, decision).SetProperty(a => a.DecidedBy, deciderId)
                .SetProperty(a => a.DecidedByName, decider.AuditName).SetProperty(a => a.DecidedAt, now).SetProperty(a => a.Result, note), ct);
        if (moved == 0)
        {
            return false;
        }
        var action = decision switch { ApprovalState.Approved => "approval.approve", ApprovalState.Rejected => "approval.reject", _ => "approval.expire" };
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = decider.AuditName, ActorId = deciderId, Action = action, Target = $"approval/{approval.Id}",
            Details = $"{ApprovalView.Name(approval.Kind)} {new Money(approval.AmountMinor, Currency.FromCode(approval.Currency))} for {approval.Target}, asked by {approval.RequestedByName}" + (note is null ? "" : $": {note}"),
        });
        return true;
    }

    public static T Payload<T>(MoneyApproval approval) =>
        JsonSerializer.Deserialize<T>(approval.Payload, Json) ?? throw new InvalidOperationException($"Approval {approval.Id} has no payload.");
}
