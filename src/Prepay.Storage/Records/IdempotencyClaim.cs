namespace Prepay.Storage.Records;

/// <summary>
/// The first thing a money-moving request writes: its (scope, key) is the primary key, so of two racing requests
/// with one key the database lets exactly one through; the other waits for it and then reads its result.
/// </summary>
public sealed class IdempotencyClaim
{
    /// <summary>Whose keys these are: the vendor for vends and float deposits.</summary>
    public Guid ScopeId { get; init; }
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    public Guid ResultId { get; init; }
}
