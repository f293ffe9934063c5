namespace Prepay.Server.Web;

/// <summary>The pages' stylesheet and one small script, embedded in the assembly and served from here: nothing is fetched from elsewhere.</summary>
internal static class WebAssets
{
    private static readonly (string Path, string Resource, string ContentType)[] Assets =
    [
        ("/web/site.css", "Prepay.Server.Web.Assets.site.css", "text/css; charset=utf-8"),
        ("/web/print.js", "Prepay.Server.Web.Assets.print.js", "text/javascript; charset=utf-8"),
        ("/web/portal-usage.js", "Prepay.Server.Web.Assets.portal-usage.js", "text/javascript; charset=utf-8"),
        ("/web/portal-statement.js", "Prepay.Server.Web.Assets.portal-statement.js", "text/javascript; charset=utf-8"),
        ("/web/lib/chart.js/4.6.1/chart.umd.min.js", "Prepay.Server.Web.Assets.lib.chart.js.4.6.1.chart.umd.min.js", "text/javascript; charset=utf-8"),
        ("/web/console.js", "Prepay.Server.Web.Assets.console.js", "text/javascript; charset=utf-8"),
        ("/web/console-charts.js", "Prepay.Server.Web.Assets.console-charts.js", "text/javascript; charset=utf-8"),
        ("/web/console-import.js", "Prepay.Server.Web.Assets.console-import.js", "text/javascript; charset=utf-8"),
        ("/web/device.js", "Prepay.Server.Web.Assets.device.js", "text/javascript; charset=utf-8"),
    ];

    public static void Map(WebApplication app)
    {
        foreach (var (path, resource, contentType) in Assets)
        {
            var bytes = Read(resource);
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Bytes(bytes, contentType);
            }).AllowAnonymous().ExcludeFromDescription();
        }
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded asset {resource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
