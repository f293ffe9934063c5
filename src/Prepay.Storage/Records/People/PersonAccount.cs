using Microsoft.AspNetCore.Identity;

namespace Prepay.Storage.Records.People;

/// <summary>
/// A person who signs in to the web pages (ASP.NET Core Identity). What a person may do is in their roles
/// (<see cref="PeopleRoles"/>); the vendor a clerk sells for and the customer a customer is are claims
/// (<see cref="PeopleClaims"/>), so they travel in the sign-in cookie without another query.
/// </summary>
public sealed class PersonAccount : IdentityUser<Guid>;

/// <summary>The roles a person can have. Not the API keys' roles: people and machines are told apart.</summary>
public static class PeopleRoles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string VendorClerk = "vendorClerk";
    public const string Customer = "customer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, VendorClerk, Customer];
}

/// <summary>Claims binding a person to what they act for.</summary>
public static class PeopleClaims
{
    /// <summary>The vendor (id) a vendor clerk sells for.</summary>
    public const string VendorId = "prepay:vendor";

    /// <summary>The customer (id) a customer account belongs to.</summary>
    public const string CustomerId = "prepay:customer";
}
