using Microsoft.AspNetCore.Authentication;

namespace Prepay.Server.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddPrepayAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, _ => { });
        services.AddAuthorization(Policies.Add);
        services.AddHttpContextAccessor();
        services.AddSingleton<Prepay.Storage.Auditing.IAuditActorSource, RequestAuditActor>();
        return services;
    }
}
