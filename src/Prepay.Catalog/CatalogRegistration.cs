using Microsoft.Extensions.DependencyInjection;

namespace Prepay.Catalog;

public static class CatalogRegistration
{
    /// <summary>The catalog's bulk import and export.</summary>
    public static IServiceCollection AddPrepayCatalog(this IServiceCollection services)
    {
        services.AddSingleton<Imports.CatalogImport>();
        services.AddSingleton<Imports.CatalogExport>();
        return services;
    }
}
