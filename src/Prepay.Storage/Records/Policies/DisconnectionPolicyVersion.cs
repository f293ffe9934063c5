using NodaTime;

namespace Prepay.Storage.Records.Policies;

/// <summary>
/// One published version of a disconnection policy (Prepay.Policy's document). Versions of a code never change
/// once stored; a higher one supersedes from its <see cref="EffectiveFrom"/>.
/// </summary>
public sealed class DisconnectionPolicyVersion
{
    public Guid Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public int Version { get; init; }

    /// <summary>The start of the document's effective date in its own zone.</summary>
    public Instant EffectiveFrom { get; init; }

    /// <summary>The document as published (JSON), checked before it was stored.</summary>
    public required string Document { get; init; }

    /// <summary>Who published it, as the audit names them.</summary>
    public required string PublishedBy { get; init; }

    public Instant PublishedAt { get; init; }
}
