namespace Prepay.Vending;

/// <summary>Who is calling: the API key's id and name, its role, and the vendor or customer it is bound to.</summary>
public sealed record Actor(Guid KeyId, string Name, Role Role, Guid? VendorId, Guid? CustomerId)
{
    /// <summary>How the actor appears in the audit log.</summary>
    public string AuditName => $"{Role.ToString().ToLowerInvariant()}:{Name}";
}

/// <summary>The roles an API key can have. Every endpoint names the roles it admits.</summary>
public enum Role
{
    Admin,
    Operator,
    Vendor,
    App,
}
