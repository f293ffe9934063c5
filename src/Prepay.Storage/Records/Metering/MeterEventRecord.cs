using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>Something a meter reported: low credit, relay opened, tamper, over-voltage, outage…</summary>
public sealed class MeterEventRecord
{
    public long Id { get; init; }
    public Guid MeterId { get; init; }
    public Instant At { get; init; }
    public required string Type { get; init; }
    public string? Details { get; init; }
    public Instant ReceivedAt { get; init; }
}
