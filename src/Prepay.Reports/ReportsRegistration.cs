using Microsoft.Extensions.DependencyInjection;

namespace Prepay.Reports;

public static class ReportsRegistration
{
    /// <summary>Reports: the reconciliation of a period.</summary>
    public static IServiceCollection AddPrepayReports(this IServiceCollection services)
    {
        services.AddSingleton<Reconciliation.PeriodReconciliation>();
        services.AddSingleton<Welfare.WelfareSignals>();
        return services;
    }
}
