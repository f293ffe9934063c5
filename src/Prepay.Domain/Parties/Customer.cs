using NodaTime;

namespace Prepay.Domain.Parties;

/// <summary>A person or business that buys electricity in advance.</summary>
public sealed class Customer
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }

    /// <summary>Registered as indigent: qualifies for free basic electricity where the tariff grants it.</summary>
    public bool Indigent { get; set; }

    /// <summary>Protected (medical equipment, vulnerable household): never disconnected automatically.</summary>
    public bool Protected { get; set; }

    public Instant CreatedAt { get; init; }
}
