using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Prepay.Server.Web;

/// <summary>
/// Outside the API, the signed-in person (the sign-in cookie) is the request's user, so that every page, also an
/// anonymous one, knows who is there. The API's default scheme stays the API key: a cookie never reaches the API.
/// </summary>
internal sealed class PageAuthentication(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api") && context.User.Identity?.IsAuthenticated != true)
        {
            var result = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            if (result.Succeeded)
            {
                context.User = result.Principal;
            }
        }
        await next(context);
    }
}
