using NodaTime;

namespace Prepay.Storage.Records.Statements;

/// <summary>A customer's opt-in to a statement digest; no row: no digest.</summary>
public sealed class StatementDigestRecord
{
    public Guid CustomerId { get; init; }
    public DigestFrequency Frequency { get; set; }
    public Instant ChangedAt { get; set; }
}

public enum DigestFrequency
{
    Daily,
    Weekly,
}
