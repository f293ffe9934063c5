using NodaTime;

namespace Prepay.Storage.Records.Alerts;

/// <summary>
/// Something an operator should look at: abnormal voltage, overload, outage or tamper reported by a meter. One per
/// meter, type and instant, so a meter resending its event does not raise a second alert.
/// </summary>
public sealed class OperatorAlert
{
    public long Id { get; init; }
    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }
    public required string Type { get; init; }
    public Instant At { get; init; }
    public string? Details { get; init; }
    public Instant RaisedAt { get; init; }
    public Instant? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
}
