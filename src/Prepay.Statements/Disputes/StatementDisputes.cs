using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Statements.Days;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Statements;

namespace Prepay.Statements.Disputes;

/// <summary>A line the customer disputes: one of their meters, a local day, the line's kind, their words, and who raised it.</summary>
public sealed record DisputeRequest(Guid CustomerId, string MeterNumber, LocalDate Day, string? LineKind, string? Text, string RaisedBy);

/// <summary>Staff's answer: resolved (the customer is right, or it is explained and settled) or rejected, in words.</summary>
public sealed record DisputeAnswer(Guid DisputeId, DisputeState Decision, string? Text, string AnsweredBy);

/// <summary>A dispute as customers and staff see it.</summary>
public sealed record DisputeView(
    Guid Id, Guid CustomerId, string MeterNumber, LocalDate Day, string LineKind, string Text, string State,
    Instant RaisedAt, string RaisedBy, string? Answer, Instant? AnsweredAt, string? AnsweredBy)
{
    internal static DisputeView Of(StatementDisputeRecord r) => new(r.Id, r.CustomerId, r.MeterNumber, r.Day, r.LineKind, r.Text,
        r.State.ToString().ToLowerInvariant(), r.RaisedAt, r.RaisedBy, r.Answer, r.AnsweredAt, r.AnsweredBy);
}

public abstract record DisputeOutcome
{
    private DisputeOutcome()
    {
    }

    public sealed record Raised(DisputeView Dispute) : DisputeOutcome;

    public sealed record Answered(DisputeView Dispute) : DisputeOutcome;

    /// <summary>Answered before: a dispute is answered once.</summary>
    public sealed record AlreadyAnswered(DisputeView Dispute) : DisputeOutcome;

    public sealed record NotFound(string What) : DisputeOutcome;

    public sealed record Invalid(string Field, string Message) : DisputeOutcome;
}

/// <summary>
/// Disputed statement lines: a customer (on the portal, or staff for them through the API) flags a line of one of
/// their meters' days; staff list the open ones and answer each once; the customer reads the answer. Each step is
/// audited in its own write transaction (<c>statement.dispute.raise</c>, <c>statement.dispute.answer</c>).
/// </summary>
public sealed class StatementDisputes(IServiceScopeFactory scopes, IClock clock)
{
    public const int MaxText = 2000;
    public const string RaiseAction = "statement.dispute.raise";
    public const string AnswerAction = "statement.dispute.answer";

    public async Task<DisputeOutcome> RaiseAsync(DisputeRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!StatementLines.IsKnown(request.LineKind))
        {
            return new DisputeOutcome.Invalid("line", $"must be one of: {string.Join(", ", StatementLines.All)}");
        }
        if (TextProblem(request.Text) is { } problem)
        {
            return new DisputeOutcome.Invalid("text", problem);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var number = request.MeterNumber.Trim();
        var meterId = await MeterPlacements.Current(db).Where(p => p.CustomerId == request.CustomerId && p.Meter.MeterNumber == number)
            .Select(p => (Guid?)p.Meter.Id).FirstOrDefaultAsync(ct);
        if (meterId is null)
        {
            return new DisputeOutcome.NotFound($"No meter '{number}' of this customer.");
        }
        var now = clock.GetCurrentInstant();
        // A day that has not begun anywhere on earth has no statement to dispute.
        if (request.Day > now.InUtc().Date.PlusDays(1))
        {
            return new DisputeOutcome.Invalid("day", "is in the future");
        }
        var record = new StatementDisputeRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            CustomerId = request.CustomerId,
            MeterId = meterId.Value,
            MeterNumber = number,
            Day = request.Day,
            LineKind = request.LineKind!,
            Text = request.Text!.Trim(),
            State = DisputeState.Open,
            RaisedAt = now,
            RaisedBy = request.RaisedBy,
        };
        await using var tx = await db.BeginWriteAsync(ct);
        db.StatementDisputes.Add(record);
        db.Audit.Add(new AuditRecord { At = now, Actor = request.RaisedBy, Action = RaiseAction, Target = $"customer/{request.CustomerId}",
            Details = $"dispute {record.Id}: meter {number}, {record.Day:yyyy-MM-dd}, {record.LineKind}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new DisputeOutcome.Raised(DisputeView.Of(record));
    }

    public async Task<DisputeOutcome> AnswerAsync(DisputeAnswer answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Decision == DisputeState.Open)
        {
            return new DisputeOutcome.Invalid("decision", "must be 'resolved' or 'rejected'");
        }
        if (TextProblem(answer.Text) is { } problem)
        {
            return new DisputeOutcome.Invalid("answer", problem);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var text = answer.Text!.Trim();
        await using var tx = await db.BeginWriteAsync(ct);
        // Out of open by one conditional update: of two answers at once, one finds it answered.
        var changed = await db.StatementDisputes.Where(d => d.Id == answer.DisputeId && d.State == DisputeState.Open)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, answer.Decision).SetProperty(d => d.Answer, text)
                .SetProperty(d => d.AnsweredAt, now).SetProperty(d => d.AnsweredBy, answer.AnsweredBy), ct);
        var record = await db.StatementDisputes.AsNoTracking().FirstOrDefaultAsync(d => d.Id == answer.DisputeId, ct);
        if (record is null)
        {
            return new DisputeOutcome.NotFound($"No dispute {answer.DisputeId}.");
        }
        if (changed == 0)
        {
            return new DisputeOutcome.AlreadyAnswered(DisputeView.Of(record));
        }
        db.Audit.Add(new AuditRecord { At = now, Actor = answer.AnsweredBy, Action = AnswerAction, Target = $"customer/{record.CustomerId}",
            Details = $"dispute {record.Id}: {answer.Decision.ToString().ToLowerInvariant()}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new DisputeOutcome.Answered(DisputeView.Of(record));
    }

    /// <summary>Disputes for staff, oldest first: the open ones (or all, newest first, when <paramref name="openOnly"/> is false).</summary>
    public async Task<IReadOnlyList<DisputeView>> ListAsync(bool openOnly, int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var query = db.StatementDisputes.AsNoTracking();
        query = openOnly ? query.Where(d => d.State == DisputeState.Open).OrderBy(d => d.RaisedAt) : query.OrderByDescending(d => d.RaisedAt);
        return [.. (await query.Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct)).Select(DisputeView.Of)];
    }

    /// <summary>The customer's own disputes of a meter's statement, newest first.</summary>
    public async Task<IReadOnlyList<DisputeView>> ForCustomerAsync(Guid customerId, string meterNumber, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return [.. (await db.StatementDisputes.AsNoTracking().Where(d => d.CustomerId == customerId && d.MeterNumber == meterNumber)
            .OrderByDescending(d => d.RaisedAt).Take(100).ToListAsync(ct)).Select(DisputeView.Of)];
    }

    private static string? TextProblem(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "is required"
        : text.Trim().Length > MaxText ? $"must be at most {MaxText} characters"
        : null;
}
