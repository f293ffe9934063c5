using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>
/// A management token made for an operator (clear credit, clear tamper, a power limit...), kept so that it can be
/// shown again and so that a retried request (same Idempotency-Key) gets the same token instead of a second one.
/// </summary>
public sealed class ManagementTokenRecord
{
    public Guid Id { get; init; }
    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }
    public required string Kind { get; init; }
    public int Value { get; init; }
    public required string Token { get; init; }
    public long TokenId { get; init; }
    public Instant IssuedAt { get; init; }

    /// <summary>Who issued it, as the audit log names them.</summary>
    public required string Actor { get; init; }

    public required string Reason { get; init; }

    /// <summary>Key change tokens made with it (entered first), space-separated; null when no key change was due.</summary>
    public string? KeyChangeTokens { get; init; }
}
