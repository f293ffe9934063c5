using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Revenue;

namespace Prepay.Findings;

/// <summary>What moving a finding came to.</summary>
public abstract record FindingMove
{
    public sealed record Moved(FindingView Finding) : FindingMove;

    public sealed record NotFound(string Detail) : FindingMove;

    public sealed record Invalid(string Field, string Problem) : FindingMove;

    /// <summary>It is no longer in the state the move starts from (someone else moved it, or it is closed).</summary>
    public sealed record Conflict(FindingView Finding, string Detail) : FindingMove;
}

/// <summary>
/// Staff move a finding on: from open to investigating, confirmed or dismissed, from investigating to confirmed or
/// dismissed; confirmed and dismissed are final. Each move names who and why, is one conditional update out of the
/// state it was read in (of two people at once, one is told it moved), and is audited.
/// </summary>
public sealed class FindingStates(IServiceScopeFactory scopes, IClock clock)
{
    public const string AuditAction = "finding.state";

    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [FindingRecord.Open] = [FindingRecord.Investigating, FindingRecord.Confirmed, FindingRecord.Dismissed],
        [FindingRecord.Investigating] = [FindingRecord.Confirmed, FindingRecord.Dismissed],
        [FindingRecord.Confirmed] = [],
        [FindingRecord.Dismissed] = [],
    };

    public async Task<FindingMove> MoveAsync(long id, string? to, string? reason, string actor, CancellationToken ct)
    {
        if (to is null || !Next.ContainsKey(to) || to == FindingRecord.Open)
        {
            return new FindingMove.Invalid("state", "must be 'investigating', 'confirmed' or 'dismissed'");
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 1000)
        {
            return new FindingMove.Invalid("reason", "is required, at most 1000 characters");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var found = await db.Findings.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (found is null)
        {
            return new FindingMove.NotFound($"No finding {id}.");
        }
        if (!Next[found.State].Contains(to))
        {
            return new FindingMove.Conflict(FindingView.Of(found), $"A finding {found.State} cannot become {to}.");
        }
        var now = clock.GetCurrentInstant();
        var why = reason.Trim();
        await using var tx = await db.BeginWriteAsync(ct);
        var changed = await db.Findings.Where(f => f.Id == id && f.State == found.State)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.State, to).SetProperty(f => f.StateBy, actor).SetProperty(f => f.StateReason, why)
                .SetProperty(f => f.StateAt, now).SetProperty(f => f.UpdatedAt, now), ct);
        var after = await db.Findings.AsNoTracking().FirstAsync(f => f.Id == id, ct);
        if (changed == 0)
        {
            return new FindingMove.Conflict(FindingView.Of(after), $"It was moved to {after.State} meanwhile.");
        }
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = AuditAction, Target = $"finding/{id}", Details = $"{found.State} → {to}: {why}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new FindingMove.Moved(FindingView.Of(after));
    }
}
