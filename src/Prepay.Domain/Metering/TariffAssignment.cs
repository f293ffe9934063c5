using NodaTime;

namespace Prepay.Domain.Metering;

/// <summary>Which tariff (by code) prices a meter's purchases from <see cref="EffectiveFrom"/> on; the latest one at a given instant wins.</summary>
public sealed class TariffAssignment
{
    public Guid Id { get; init; }
    public Guid MeterId { get; init; }
    public required string TariffCode { get; init; }
    public Instant EffectiveFrom { get; init; }
}
