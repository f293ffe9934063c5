using Microsoft.Extensions.DependencyInjection;
using Prepay.Reports.Tables;

namespace Prepay.Reports;

public static class ReportsRegistration
{
    /// <summary>Reports: the tables (sales, revenue, consumption, arrears, offline meters, alerts and findings, reconciliation), welfare, and their schedules.</summary>
    public static IServiceCollection AddPrepayReports(this IServiceCollection services, ReportsOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton<Reconciliation.PeriodReconciliation>();
        services.AddSingleton<Welfare.WelfareSignals>();
        services.AddSingleton<Welfare.WelfareOutreach>();
        services.AddSingleton<IReport, Sales.SalesReport>();
        services.AddSingleton<IReport, Revenue.RevenueReport>();
        services.AddSingleton<IReport, Consumption.ConsumptionReport>();
        services.AddSingleton<IReport, Arrears.ArrearsReport>();
        services.AddSingleton<IReport, Operations.OfflineReport>();
        services.AddSingleton<IReport, Operations.AlertsAndFindingsReport>();
        services.AddSingleton<IReport, Reconciliation.ReconciliationTable>();
        services.AddSingleton<ReportCatalogue>();
        services.AddSingleton<Schedules.ReportSchedules>();
        services.AddSingleton<Schedules.ScheduledReports>();
        if (options.Schedules)
        {
            services.AddHostedService(sp => sp.GetRequiredService<Schedules.ScheduledReports>());
        }
        return services;
    }
}
