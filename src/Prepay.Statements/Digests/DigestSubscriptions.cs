using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Statements;

namespace Prepay.Statements.Digests;

/// <summary>A customer's statement digest: daily, weekly, or none (opt-in: none until they ask). Each change is audited.</summary>
public sealed class DigestSubscriptions(IServiceScopeFactory scopes, IClock clock)
{
    public const string Action = "statement.digest.set";

    public async Task<DigestFrequency?> GetAsync(Guid customerId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.StatementDigests.AsNoTracking().Where(d => d.CustomerId == customerId).Select(d => (DigestFrequency?)d.Frequency).FirstOrDefaultAsync(ct);
    }

    /// <summary>Sets the customer's digest (null: none), in one write transaction with its audit record.</summary>
    public async Task<DigestOutcome> SetAsync(Guid customerId, DigestFrequency? frequency, string actor, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        if (!await db.Customers.AsNoTracking().AnyAsync(c => c.Id == customerId, ct))
        {
            return new DigestOutcome.CustomerNotFound(customerId);
        }
        var now = clock.GetCurrentInstant();
        await using var tx = await db.BeginWriteAsync(ct);
        var row = await db.StatementDigests.FirstOrDefaultAsync(d => d.CustomerId == customerId, ct);
        var before = row?.Frequency.ToString().ToLowerInvariant() ?? "none";
        if (frequency is { } f)
        {
            if (row is null)
            {
                db.StatementDigests.Add(new StatementDigestRecord { CustomerId = customerId, Frequency = f, ChangedAt = now });
            }
            else
            {
                row.Frequency = f;
                row.ChangedAt = now;
            }
        }
        else if (row is not null)
        {
            db.StatementDigests.Remove(row);
        }
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = Action, Target = $"customer/{customerId}",
            Details = $"{before} -> {frequency?.ToString().ToLowerInvariant() ?? "none"}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new DigestOutcome.Set(frequency);
    }
}

public abstract record DigestOutcome
{
    private DigestOutcome()
    {
    }

    public sealed record Set(DigestFrequency? Frequency) : DigestOutcome;

    public sealed record CustomerNotFound(Guid CustomerId) : DigestOutcome;
}
