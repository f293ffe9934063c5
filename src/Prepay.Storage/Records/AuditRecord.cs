using NodaTime;

namespace Prepay.Storage.Records;

/// <summary>Who did what, when: written in the same transaction as the change it records.</summary>
public sealed class AuditRecord
{
    public long Id { get; init; }
    public Instant At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string Target { get; init; }
    public string? Details { get; init; }
}
