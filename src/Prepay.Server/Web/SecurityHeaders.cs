namespace Prepay.Server.Web;

/// <summary>
/// Headers for every response, pages, API, errors and redirects alike: a content security policy with no inline
/// script and nothing from elsewhere, no framing, no MIME sniffing, no referrer beyond this origin, and nothing kept
/// in caches (pages and API answers carry tokens, balances and names; the static assets set their own caching). The
/// API reference at <c>/scalar/</c> needs inline script and keeps its own policy. The first middleware, and set when
/// the response starts, so a response that a later middleware writes or clears (the rate limiter's 429, the
/// exception handler's 500, a challenge's redirect) gets them too.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy = Policy;
                headers.XFrameOptions = "DENY";
            }
            if (string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
