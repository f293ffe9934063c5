using Microsoft.Extensions.DependencyInjection;
using Prepay.Statements.Days;
using Prepay.Statements.Digests;
using Prepay.Statements.Disputes;

namespace Prepay.Statements;

public static class StatementsRegistration
{
    /// <summary>Customers' daily statements, disputed lines, digest opt-ins, and (unless turned off) the digest job.</summary>
    public static IServiceCollection AddPrepayStatements(this IServiceCollection services, StatementsOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton<CustomerStatements>();
        services.AddSingleton<StatementDisputes>();
        services.AddSingleton<DigestSubscriptions>();
        services.AddSingleton<StatementDigests>();
        if (options.Digests)
        {
            services.AddHostedService(sp => sp.GetRequiredService<StatementDigests>());
        }
        return services;
    }
}
