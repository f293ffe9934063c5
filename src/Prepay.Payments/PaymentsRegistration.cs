using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Payments.Callbacks;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Payments.Refunds;
using Prepay.Payments.Sandbox;
using Prepay.Vending.Approvals;

namespace Prepay.Payments;

public static class PaymentsRegistration
{
    /// <summary>
    /// Checkout sessions, provider callbacks and the vends they lead to. The sandbox provider is registered only
    /// when enabled (by default in Development only): it hands out real tokens for test cards.
    /// </summary>
    public static IServiceCollection AddPrepayPayments(this IServiceCollection services, PaymentsOptions options, bool development)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton(options.Sandbox);
        if (options.Sandbox.Enabled ?? development)
        {
            services.AddSingleton(options.Sandbox.Secret is { } configured
                ? new SandboxSecret(configured)
                : new SandboxSecret(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))) { IsGenerated = true });
            services.AddSingleton<SandboxRefunds>();
            services.AddSingleton<SandboxProvider>();
            services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<SandboxProvider>());
            services.AddSingleton<IRefundingProvider>(sp => sp.GetRequiredService<SandboxProvider>());
            services.AddSingleton<SandboxGateway>();
            services.AddHttpClient(SandboxGateway.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        }
        services.AddSingleton<PaymentProviders>();
        services.AddSingleton<CheckoutService>();
        services.AddSingleton<PaymentVends>();
        services.AddSingleton<PaymentResults>();
        services.AddSingleton<PaidNotVended>();
        services.AddSingleton<CallbackService>();
        // Refunds: asked by one, approved by another (the approval moves the money and writes the refund), then sent.
        services.AddSingleton(options.Refunds);
        services.AddSingleton<RefundRequests>();
        services.AddSingleton<IApprovalExecutor, PaymentRefundApprovals>();
        services.AddSingleton<RefundDispatcher>();
        if (options.Refunds.Dispatch)
        {
            services.AddHostedService(sp => sp.GetRequiredService<RefundDispatcher>());
        }
        return services;
    }
}
