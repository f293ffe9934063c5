using NodaTime;

namespace Prepay.Storage.Records;

/// <summary>One version of a tariff document; versions of a code never change once stored, a new one supersedes.</summary>
public sealed class TariffVersion
{
    public Guid Id { get; init; }
    public required string Code { get; init; }
    public int Version { get; init; }
    public LocalDate EffectiveFrom { get; init; }
    public required string Currency { get; init; }

    /// <summary>The tariff document as JSON (see Prepay.Tariffs).</summary>
    public required string Document { get; init; }

    public Instant CreatedAt { get; init; }
}
