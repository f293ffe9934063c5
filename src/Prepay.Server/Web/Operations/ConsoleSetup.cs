extern alias virtualmeters;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Prepay.Server.Web.Account;
using Prepay.Storage.Records.People;
using virtualmeters::Prepay.Meter.Devices;

namespace Prepay.Server.Web.Operations;

/// <summary>
/// The operator side of the pages: the console, the device pages of simulated meters, and the authenticator
/// (TOTP) second factor that operators and administrators must have before they reach either.
/// </summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddPrepayConsole(this IServiceCollection services)
    {
        // What IdentityBuilder.AddTokenProvider does, here so that the people setup stays as it is.
        services.Configure<IdentityOptions>(o => o.Tokens.ProviderMap[TokenOptions.DefaultAuthenticatorProvider] =
            new TokenProviderDescriptor(typeof(AuthenticatorTokenProvider<PersonAccount>)));
        services.AddTransient<AuthenticatorTokenProvider<PersonAccount>>();

        services.AddScoped<IAuthorizationHandler, TwoFactorEnrolledHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, EnrolmentRedirect>();
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPages.Policy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireRole(PeopleRoles.Operator, PeopleRoles.Admin).AddRequirements(new TwoFactorEnrolled()))
            .AddPolicy(StaffPages.AdminPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireRole(PeopleRoles.Admin).AddRequirements(new TwoFactorEnrolled()));

        services.AddSingleton<VirtualMeterRegistry>();
        services.AddScoped<FleetOverview>();
        services.AddSingleton<OperatorZone>();
        return services;
    }
}

/// <summary>The policies of the console and device pages: operators and administrators signed in with their second factor.</summary>
public static class StaffPages
{
    public const string Policy = "page-staff";
    public const string AdminPolicy = "page-admin";
}
