using Prepay.Vending;

namespace Prepay.Server.Auth;

/// <summary>The role sets endpoints admit. Every endpoint names one; there is no anonymous API endpoint but health.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Staff = "staff";
    public const string Sellers = "sellers";
    public const string Anyone = "anyone";
    public const string Monitoring = "monitoring";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions o)
    {
        o.AddPolicy(Admin, p => p.RequireRole(nameof(Role.Admin)));
        o.AddPolicy(Staff, p => p.RequireRole(nameof(Role.Admin), nameof(Role.Operator)));
        o.AddPolicy(Sellers, p => p.RequireRole(nameof(Role.Admin), nameof(Role.Vendor), nameof(Role.App)));
        o.AddPolicy(Monitoring, p => p.RequireRole(nameof(Role.Admin), nameof(Role.Operator), nameof(Role.Monitor)));
        o.AddPolicy(Anyone, p => p.RequireRole(nameof(Role.Admin), nameof(Role.Operator), nameof(Role.Vendor), nameof(Role.App)));
    }
}
