using Microsoft.AspNetCore.Identity;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Portal;

/// <summary>The customer's side of the pages: the portal's policy and services.</summary>
public static class PortalSetup
{
    /// <summary>A signed-in customer bound to a customer record; an API key or any other role never opens the portal.</summary>
    public const string CustomerPolicy = "page-customer";

    public static IServiceCollection AddCustomerPages(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(CustomerPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireRole(PeopleRoles.Customer).RequireClaim(PeopleClaims.CustomerId));
        services.AddSingleton<PortalQuotes>();
        return services;
    }
}
