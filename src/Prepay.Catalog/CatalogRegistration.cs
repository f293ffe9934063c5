using Microsoft.Extensions.DependencyInjection;

namespace Prepay.Catalog;

public static class CatalogRegistration
{
    /// <summary>The catalog's bulk import (with the console's background jobs and the approval of opening balances) and export.</summary>
    public static IServiceCollection AddPrepayCatalog(this IServiceCollection services)
    {
        services.AddSingleton<Imports.CatalogImport>();
        services.AddSingleton<Imports.ImportJobs>();
        services.AddSingleton<Vending.Approvals.IApprovalExecutor, Imports.OpeningBalances.Executor>();
        services.AddSingleton<Imports.CatalogExport>();
        return services;
    }
}
