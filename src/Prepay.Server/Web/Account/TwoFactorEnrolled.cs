using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.Account;

/// <summary>
/// The person has an authenticator enrolled. Sign-in asks everyone enrolled for a code, so a session of an enrolled
/// person came through the code (or enrolled in this session, which proved the code too).
/// </summary>
public sealed class TwoFactorEnrolled : IAuthorizationRequirement;

/// <summary>
/// Reads the person's enrolment from the database on each request, so a reset takes effect at once. Every
/// authorization (also the API's) builds every handler, so the user manager is only resolved when a page asks.
/// </summary>
public sealed class TwoFactorEnrolledHandler(IServiceProvider services) : AuthorizationHandler<TwoFactorEnrolled>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorEnrolled requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }
        var users = services.GetRequiredService<UserManager<PersonAccount>>();
        if (await users.GetUserAsync(context.User) is { } person && await users.GetTwoFactorEnabledAsync(person))
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>
/// A signed-in person (operator, administrator or clerk) refused only for want of an authenticator goes to enrolment rather than to
/// the "not allowed" page; every other outcome is the framework's.
/// </summary>
public sealed class EnrolmentRedirect : IAuthorizationMiddlewareResultHandler
{
    public const string EnrolmentPath = "/account/two-factor";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure
            && failure.FailedRequirements.Any() && failure.FailedRequirements.All(r => r is TwoFactorEnrolled))
        {
            var back = context.Request.Path + context.Request.QueryString;
            context.Response.Redirect(EnrolmentPath + "?ReturnUrl=" + Uri.EscapeDataString(back));
            return Task.CompletedTask;
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
