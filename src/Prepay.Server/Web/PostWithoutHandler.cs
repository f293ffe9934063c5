using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Prepay.Server.Web;

/// <summary>
/// A form posted to a page with no handler for it (a page without <c>OnPost</c>, or a <c>?handler=</c> the page does
/// not have) is answered 405. Razor Pages would render the page without running any handler, as if for a GET whose
/// data was never loaded: the console's pages then failed with a 500 reading their empty model.
/// </summary>
internal sealed class PostWithoutHandler : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        if (context.HandlerMethod is null && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            // RFC 9110 §15.5.6: a 405 lists the methods the resource does take.
            var allowed = context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Distinct(StringComparer.Ordinal);
            context.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return Task.CompletedTask;
        }
        return next();
    }
}
