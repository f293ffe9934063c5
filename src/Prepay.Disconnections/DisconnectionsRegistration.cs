using Microsoft.Extensions.DependencyInjection;
using Prepay.Disconnections.Gate;
using Prepay.HeadEnd.Commands;
using Prepay.Vending.Approvals;

namespace Prepay.Disconnections;

public static class DisconnectionsRegistration
{
    /// <summary>
    /// The gate every disconnection passes: the check, the dispatcher's gate, operators' commands, gated management
    /// tokens, overrides (a kind of two-person approval), and the worker that releases held disconnections.
    /// </summary>
    public static IServiceCollection AddPrepayDisconnections(this IServiceCollection services, DisconnectionOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<DisconnectionCheck>();
        services.AddSingleton<DisconnectionPreview>();
        services.AddSingleton<Vending.Debts.ITopUpDebtCap, Policies.PolicyDebtCap>();
        services.AddSingleton<CentralCredit.Worker.IEmergencyCreditAllowance, Policies.PolicyEmergencyCredit>();
        services.AddSingleton<Alerts.Producers.IPolicyAlertThresholds, Policies.PolicyAlertThresholds>();
        services.AddSingleton<ISupplyCutGate, DispatchGate>();
        services.AddSingleton<OperatorCommands>();
        services.AddSingleton<GatedManagementTokens>();
        services.AddSingleton<DisconnectOverrides>();
        services.AddSingleton<IApprovalExecutor>(sp => sp.GetRequiredService<DisconnectOverrides>());
        services.AddSingleton<HeldDisconnections>();
        services.AddHostedService(sp => sp.GetRequiredService<HeldDisconnections>());
        services.AddSingleton<Push.PolicyPushes>();
        if (options.PushPolicies)
        {
            services.AddHostedService(sp => sp.GetRequiredService<Push.PolicyPushes>());
        }
        return services;
    }
}
