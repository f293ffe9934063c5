using NodaTime;

namespace Prepay.Storage.Records;

/// <summary>The reversal of one vend; the primary key on the vend id makes a second reversal impossible.</summary>
public sealed class VendReversal
{
    public Guid VendId { get; init; }
    public Guid TransactionId { get; init; }
    public required string Reason { get; init; }
    public required string Actor { get; init; }
    public Instant At { get; init; }
}
