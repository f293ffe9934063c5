namespace Prepay.Vending;

/// <summary>
/// Who is calling: the API key's or signed-in person's id, a name, its role, and the vendor or customer it is bound to.
/// The id is what counts (the audit log's <c>actor_id</c>, who may approve whose request); the name is for people to read.
/// </summary>
public sealed record Actor(Guid KeyId, string Name, Role Role, Guid? VendorId, Guid? CustomerId)
{
    /// <summary>How the actor appears in the audit log.</summary>
    public string AuditName => $"{Role.ToString().ToLowerInvariant()}:{Name}";

    /// <summary>The id the audit log keeps: the key's or person's, none for the system itself.</summary>
    public Guid? AuditId => KeyId == Guid.Empty ? null : KeyId;

    /// <summary>
    /// The server itself, for work no person asked for through the API (the demo's opening floats, benchmarks'
    /// fixtures): named, audited as <c>system:{purpose}</c>, with no id, so it can never pass for a person or a key.
    /// </summary>
    public static Actor System(string purpose) => new(Guid.Empty, purpose, Role.System, null, null);
}

/// <summary>The roles an API key can have. Every endpoint names the roles it admits.</summary>
public enum Role
{
    Admin,
    Operator,
    Vendor,
    App,

    /// <summary>Reads a node's metrics (<c>/metrics</c>) and nothing else: the key a Prometheus server holds.</summary>
    Monitor,

    /// <summary>The server acting on its own (<see cref="Actor.System"/>); no key or person has it.</summary>
    System,
}
