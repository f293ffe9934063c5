using NodaTime;

namespace Prepay.Storage.Records;

/// <summary>Which node runs a periodic job (<see cref="Cluster.JobLeases"/>), until when.</summary>
public sealed class JobLease
{
    public required string Name { get; init; }
    public required string Holder { get; set; }
    public Instant ExpiresAt { get; set; }
}
