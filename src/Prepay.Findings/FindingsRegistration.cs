using Microsoft.Extensions.DependencyInjection;

namespace Prepay.Findings;

public static class FindingsRegistration
{
    /// <summary>Revenue protection's findings: the run, their states and queries, and (unless turned off) the job.</summary>
    public static IServiceCollection AddPrepayFindings(this IServiceCollection services, FindingsOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton<FindingsRun>();
        services.AddSingleton<FindingStates>();
        services.AddSingleton<FindingQueries>();
        if (options.Job)
        {
            services.AddHostedService<FindingsJob>();
        }
        return services;
    }
}
