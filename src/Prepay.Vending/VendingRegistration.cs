using Microsoft.Extensions.DependencyInjection;
using Prepay.Vending.Floats;
using Prepay.Vending.Pricing;
using Prepay.Vending.Reversals;
using Prepay.Vending.Tokens;
using Prepay.Vending.Vends;

namespace Prepay.Vending;

public static class VendingRegistration
{
    public static IServiceCollection AddPrepayVending(this IServiceCollection services, VendingOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton<TariffCatalog>();
        services.AddSingleton<VendingService>();
        services.AddSingleton<ReversalService>();
        services.AddSingleton<FloatService>();
        services.AddSingleton<Postings.IdempotentPosting>();
        services.AddSingleton<Debts.DebtService>();
        services.AddSingleton<ITokenGenerator, PlaceholderTokenGenerator>();
        return services;
    }
}
