using NodaTime;

namespace Prepay.Domain.Sites;

/// <summary>One supply point in a site, known to people by its label: a room, unit, shop or stand number.</summary>
public sealed class Premises
{
    public Guid Id { get; init; }
    public Guid SiteId { get; init; }

    /// <summary>The label people use, e.g. "B-204"; unique within its site, compared as written (trimmed).</summary>
    public required string Label { get; set; }

    /// <summary>Who lives or trades here now, and so whose account a vend to this unit credits.</summary>
    public Guid? CustomerId { get; set; }

    public Instant CreatedAt { get; init; }
}
