using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Prepay.Storage.Records;

namespace Prepay.Storage.Auditing;

/// <summary>Who is acting in the current request, by id (an API key's or a signed-in person's); null outside a request.</summary>
public interface IAuditActorSource
{
    Guid? CurrentActorId { get; }
}

/// <summary>
/// The one place every audit row passes on its way to the database: a row written without an <c>actor_id</c> gets the
/// authenticated caller's id, so the log names the key or person by id even where the code only had a display name
/// (ASVS 5.0 V16.2.1: who, by an identifier that cannot be chosen). Rows written by background work stay without one.
/// </summary>
public sealed class AuditActorStamp(IAuditActorSource? source) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null || source?.CurrentActorId is not { } id)
        {
            return;
        }
        foreach (var entry in context.ChangeTracker.Entries<AuditRecord>())
        {
            if (entry.State == EntityState.Added && entry.Entity.ActorId is null)
            {
                entry.Property(a => a.ActorId).CurrentValue = id;
            }
        }
    }
}
