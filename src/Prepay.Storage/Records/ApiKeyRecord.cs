using NodaTime;

namespace Prepay.Storage.Records;

/// <summary>An API key as stored: only a SHA-256 hash of the secret, never the secret itself.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; init; }

    /// <summary>The public part of the key, used to find the row; the secret part is only hashed.</summary>
    public required string Prefix { get; init; }

    public required string Hash { get; init; }
    public required string Name { get; init; }
    public required string Role { get; init; }

    /// <summary>The vendor whose float this key sells from (vendor and app keys).</summary>
    public Guid? VendorId { get; init; }

    /// <summary>The customer this key belongs to (customer keys).</summary>
    public Guid? CustomerId { get; init; }

    public Instant CreatedAt { get; init; }
    public Instant? RevokedAt { get; set; }
}
