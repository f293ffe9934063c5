using NodaTime;

namespace Prepay.Storage.Records;

/// <summary>Who did what, when: written in the same transaction as the change it records.</summary>
public sealed class AuditRecord
{
    public long Id { get; init; }
    public Instant At { get; init; }
    /// <summary>Who, for people to read (<c>admin:person/ana</c>): a name anyone could also give themselves.</summary>
    public required string Actor { get; init; }

    /// <summary>
    /// Who, for certain: the API key's or the person's id, which no one can copy by choosing a name; null only for the
    /// system itself and for payment providers (their callbacks are verified by signature, not by a key). Set by the
    /// caller from its actor, or else at SaveChanges from the authenticated caller of the request (<c>AuditActorStamp</c>).
    /// </summary>
    public Guid? ActorId { get; init; }
    public required string Action { get; init; }
    public required string Target { get; init; }
    public string? Details { get; init; }
}
