namespace Prepay.Server.Apis.Catalog;

/// <summary>Configuration of what is sold and to whom: customers, sites and premises, meters, tariffs, vendors, keys.</summary>
public static class CatalogApis
{
    public static RouteGroupBuilder MapCatalogApis(this RouteGroupBuilder api)
    {
        api.MapCustomersApi();
        api.MapSitesApi();
        api.MapMetersApi();
        api.MapTariffsApi();
        api.MapVendorsApi();
        api.MapApiKeysApi();
        api.MapAuditApi();
        return api;
    }
}
