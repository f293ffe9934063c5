using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prepay.Vending.Floats;
using Prepay.Vending.Pricing;
using Prepay.Vending.Reversals;
using Prepay.Vending.Tokens;
using Prepay.Vending.Vends;

namespace Prepay.Vending;

public static class VendingRegistration
{
    /// <summary>
    /// Vending and its tokens. With a vending key in <paramref name="sts"/> tokens are STS; without one they are
    /// placeholders no meter accepts, and resolving <see cref="ITokenGenerator"/> (the server does at startup) logs a warning.
    /// </summary>
    public static IServiceCollection AddPrepayVending(this IServiceCollection services, VendingOptions options, StsOptions? sts = null, Campaigns.CampaignOptions? campaigns = null)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        sts ??= new StsOptions();
        if (sts.Validate() is { } stsProblem)
        {
            throw new InvalidOperationException(stsProblem);
        }
        campaigns ??= new Campaigns.CampaignOptions();
        if (campaigns.Validate() is { } campaignProblem)
        {
            throw new InvalidOperationException(campaignProblem);
        }
        services.AddSingleton(options);
        services.AddSingleton(sts);
        services.AddSingleton(campaigns);
        services.AddSingleton<Campaigns.KeyChangeCampaigns>();
        services.AddSingleton<Campaigns.CampaignDeliveries>();
        services.AddHostedService(sp => sp.GetRequiredService<Campaigns.CampaignDeliveries>());
        services.AddSingleton<TariffCatalog>();
        services.AddSingleton<Alerts.Producers.IMeterZones, TariffZones>();
        services.AddSingleton<VendingService>();
        services.AddSingleton<VendBatches>();
        services.AddSingleton<Vends.VendingMetrics>();
        services.AddSingleton<FreeBasic.FreeBasicService>();
        services.AddSingleton<ReversalService>();
        services.AddSingleton<FloatService>();
        services.AddSingleton<Postings.IdempotentPosting>();
        services.AddSingleton<Debts.DebtService>();
        services.AddSingleton<KeyChangePolicy>();
        services.AddSingleton<TokenReservations>();
        services.AddSingleton<CreditTokens>();
        services.AddSingleton<ManagementTokenService>();
        services.AddSingleton<KeyChangeService>();

        // Read now, so a missing file or a malformed key stops the server at startup; the key is never logged.
        var vendingKey = sts.LoadVendingKey();
        services.AddSingleton<ITokenGenerator>(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Prepay.Vending.Tokens");
            if (vendingKey is null)
            {
                log.LogWarning("No STS vending key configured (Sts:VendingKeyHex or Sts:KeyStoreFile): vends get PLACEHOLDER tokens that no meter accepts.");
                return new PlaceholderTokenGenerator();
            }
            var generator = new StsTokenGenerator(vendingKey, sts, sp.GetRequiredService<NodaTime.IClock>());
            log.LogInformation("STS tokens: {Algorithm} decoder keys from the vending key in {Source}.", generator.Algorithm, sts.Source);
            return generator;
        });
        return services;
    }
}
