using NodaTime;

namespace Prepay.Domain.Sites;

/// <summary>
/// A place with many premises: a residential community, a dormitory, a shopping centre or an industrial park.
/// Its <see cref="Code"/> is what a customer types to recharge "by room number" (site code plus unit label).
/// </summary>
public sealed class Site
{
    public Guid Id { get; init; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public SiteKind Kind { get; set; }
    public Instant CreatedAt { get; init; }
}

public enum SiteKind
{
    ResidentialCommunity,
    Dormitory,
    ShoppingCentre,
    IndustrialPark,
    Other,
}
