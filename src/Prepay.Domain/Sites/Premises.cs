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
    public Guid? CustomerId { get; private set; }

    /// <summary>
    /// When the current tenancy began: set by <see cref="AssignCustomer"/> whenever the customer changes, null when
    /// nobody lives here. What a customer sees of the meter (usage, purchases, tokens) starts here, so a new tenant of
    /// a dormitory room does not see the last term's tenant's history.
    /// </summary>
    public Instant? CustomerSince { get; private set; }

    public Instant CreatedAt { get; init; }

    /// <summary>
    /// Moves <paramref name="customerId"/> in at <paramref name="at"/> (null: the premises are empty). Naming the
    /// customer who already lives here changes nothing, so a repeated assignment does not restart the tenancy.
    /// </summary>
    /// <returns>True when the tenancy changed.</returns>
    public bool AssignCustomer(Guid? customerId, Instant at)
    {
        if (customerId == CustomerId)
        {
            return false;
        }
        CustomerId = customerId;
        CustomerSince = customerId is null ? null : at;
        return true;
    }
}
