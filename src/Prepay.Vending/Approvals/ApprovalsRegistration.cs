using Microsoft.Extensions.DependencyInjection;

namespace Prepay.Vending.Approvals;

public static class ApprovalsRegistration
{
    /// <summary>Money that needs two people: the requests, their limits and what each kind does once approved.</summary>
    public static IServiceCollection AddPrepayApprovals(this IServiceCollection services, ApprovalOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton<MoneyApprovals>();
        services.AddSingleton<FloatDeposits>();
        services.AddSingleton<IApprovalExecutor>(sp => sp.GetRequiredService<FloatDeposits>());
        services.AddSingleton<DebtApprovals>();
        services.AddSingleton<IApprovalExecutor, DebtApprovals.Load>();
        services.AddSingleton<IApprovalExecutor, DebtApprovals.WriteOff>();
        services.AddSingleton<IApprovalExecutor, VendReversalApprovals>();
        services.AddSingleton<GoodwillCredits>();
        services.AddSingleton<IApprovalCarrier>(sp => sp.GetRequiredService<GoodwillCredits>());
        return services;
    }
}
