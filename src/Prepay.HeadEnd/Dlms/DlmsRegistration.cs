using Microsoft.Extensions.DependencyInjection;

namespace Prepay.HeadEnd.Dlms;

public static class DlmsRegistration
{
    /// <summary>
    /// The DLMS transport, its sessions, the scheduled reads and, when <c>Dlms:Push:Port</c> is set, the push
    /// listener (<see cref="DlmsPushReception"/>). Keys come from <paramref name="keys"/>; invocation counters are kept
    /// under <c>{dataDirectory}/dlms/counters</c> (and those accepted from pushes in <c>dlms/push-counters</c>),
    /// persisted before use, so they survive restarts.
    /// </summary>
    public static IServiceCollection AddPrepayDlms(this IServiceCollection services, DlmsOptions options, IDlmsKeyProvider keys, string dataDirectory)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton(keys);
        services.AddSingleton(_ => new DlmsCounterDirectory(Path.Combine(dataDirectory, "dlms", "counters")));
        services.AddSingleton(sp => new DlmsFleetPoller(keys, sp.GetRequiredService<DlmsCounterDirectory>(), options.MaxConcurrentMeters));
        services.AddSingleton<DlmsMeterReader>();
        services.AddSingleton<DlmsMeterTransport>();
        services.AddSingleton<IMeterTransport>(sp => sp.GetRequiredService<DlmsMeterTransport>());
        services.AddSingleton<DlmsScheduledReads>();
        services.AddHostedService(sp => sp.GetRequiredService<DlmsScheduledReads>());
        services.AddSingleton(new DlmsPushCounterFile(Path.Combine(dataDirectory, "dlms", "push-counters")));
        services.AddSingleton<DlmsPushReception>();
        services.AddHostedService(sp => sp.GetRequiredService<DlmsPushReception>());
        return services;
    }
}
