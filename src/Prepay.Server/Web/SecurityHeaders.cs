namespace Prepay.Server.Web;

/// <summary>
/// Headers for every page: a content security policy with no inline script and nothing from elsewhere, no
/// framing, no MIME sniffing, no referrer beyond this origin. The API reference at <c>/scalar/</c> needs inline
/// script and keeps its own headers.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        if (!context.Request.Path.StartsWithSegments("/scalar"))
        {
            headers.ContentSecurityPolicy = Policy;
            headers.XFrameOptions = "DENY";
        }
        return next(context);
    }
}
