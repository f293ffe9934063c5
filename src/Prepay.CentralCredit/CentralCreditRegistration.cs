using Microsoft.Extensions.DependencyInjection;
using Prepay.CentralCredit.Balances;
using Prepay.CentralCredit.Models;
using Prepay.CentralCredit.Worker;

namespace Prepay.CentralCredit;

public static class CentralCreditRegistration
{
    /// <summary>Central credit: the credit model switch, the statements, and (unless turned off) the pricing worker.</summary>
    public static IServiceCollection AddPrepayCentralCredit(this IServiceCollection services, CentralCreditOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton<ConsumptionRound>();
        services.AddSingleton<Reconnections>();
        services.AddSingleton<Display.BalanceDisplays>();
        services.AddSingleton<Comparison.BalanceComparisons>();
        services.AddSingleton<Comparison.BalanceComparisonQueries>();
        services.AddSingleton<Forecasts.MeterCreditForecasts>();
        if (options.Comparison)
        {
            services.AddHostedService<Comparison.BalanceComparisonJob>();
        }
        services.AddSingleton<CreditModelSwitch>();
        services.AddHostedService<CreditHandovers>();
        services.AddSingleton<CentralCreditStatements>();
        services.AddSingleton<CentralCreditWorker>();
        if (options.Worker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<CentralCreditWorker>());
        }
        return services;
    }
}
