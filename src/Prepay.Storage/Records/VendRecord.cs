using NodaTime;

namespace Prepay.Storage.Records;

/// <summary>
/// A completed vend: what was paid, what it bought, the token, and the response the client got, so that a retry
/// with the same idempotency key and a reprint return exactly the same thing.
/// </summary>
public sealed class VendRecord
{
    public Guid Id { get; init; }

    /// <summary>Unique per vendor: the database, not the process, decides which of two racing requests wins.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the canonical request, to tell a retry from a different request with a reused key.</summary>
    public required string RequestHash { get; init; }

    public Guid VendorId { get; init; }
    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }
    public Guid CustomerId { get; init; }
    public long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public long EnergyWh { get; init; }
    public long DebtRecoveredMinor { get; init; }
    public string? Token { get; init; }
    public long? TokenId { get; init; }
    public VendKind Kind { get; init; }

    /// <summary>
    /// For a free basic electricity vend, the month it is for (<c>2026-11</c>, in the tariff's zone). Unique per
    /// meter: the database, not the process, makes sure a month's allowance is issued once.
    /// </summary>
    public string? FreeBasicMonth { get; init; }
    public required string Channel { get; init; }
    public string? PaymentReference { get; init; }
    public Guid TransactionId { get; init; }
    public Instant At { get; init; }

    /// <summary>The 201 response body as JSON, returned verbatim on retries and reprints.</summary>
    public required string Response { get; init; }
}

public enum VendKind
{
    Credit,
    FreeBasic,
}
