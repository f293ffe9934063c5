using NodaTime;

namespace Prepay.Storage.Records.Policies;

/// <summary>
/// From <see cref="EffectiveFrom"/>, the meters of a site, or of one customer, are decided by the policy
/// <see cref="PolicyCode"/> (its version in effect at each instant). Exactly one of <see cref="SiteId"/> and
/// <see cref="CustomerId"/> is set; a customer's assignment wins over their site's. Rows are history: a later one
/// supersedes, none is changed. The catalog has no customer class, so assignment is per site and per customer.
/// </summary>
public sealed class DisconnectionPolicyAssignment
{
    public Guid Id { get; init; }
    public Guid? SiteId { get; init; }
    public Guid? CustomerId { get; init; }
    public required string PolicyCode { get; init; }
    public Instant EffectiveFrom { get; init; }
    public required string AssignedBy { get; init; }
    public Instant AssignedAt { get; init; }
}
