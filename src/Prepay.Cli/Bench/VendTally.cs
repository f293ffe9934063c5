namespace Prepay.Cli.Bench;

/// <summary>A vend the server answered 201 for: the idempotency key sent and the vend id it returned.</summary>
public sealed record AcknowledgedVend(string Key, Guid Id);

/// <summary>A repeated request with an earlier key and body: it must get the original vend back, not a new one.</summary>
public sealed record RetryAnswer(string Key, Guid OriginalId, Guid ReturnedId);

/// <summary>A vend row as the database holds it.</summary>
public sealed record StoredVend(string Key, Guid Id);

/// <summary>What the clients were told, kept to compare with what the database holds. One per client, merged after.</summary>
public sealed class VendTally
{
    public List<AcknowledgedVend> Acknowledged { get; } = [];
    public List<RetryAnswer> Retries { get; } = [];

    /// <summary>Keys of first attempts that got no 201 (an error or a timeout): their vend may or may not exist.</summary>
    public List<string> FailedKeys { get; } = [];

    public void Add(VendTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Acknowledged.AddRange(other.Acknowledged);
        Retries.AddRange(other.Retries);
        FailedKeys.AddRange(other.FailedKeys);
    }
}
