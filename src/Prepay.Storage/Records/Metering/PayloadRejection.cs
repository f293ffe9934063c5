using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>Payloads refused from one meter for one reason: counted, so an operator can see a misbehaving meter.</summary>
public sealed class PayloadRejection
{
    public required string MeterNumber { get; init; }
    public required string Reason { get; init; }
    public long Count { get; set; }
    public Instant LastAt { get; set; }
}
