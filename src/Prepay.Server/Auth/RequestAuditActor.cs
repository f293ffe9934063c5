using System.Globalization;
using System.Security.Claims;
using Prepay.Storage.Auditing;

namespace Prepay.Server.Auth;

/// <summary>
/// The authenticated caller of the current request by id, for the audit log: an API key's id, or a signed-in person's
/// (customer, clerk, operator, admin); none for anonymous requests and background work.
/// </summary>
public sealed class RequestAuditActor(IHttpContextAccessor http) : IAuditActorSource
{
    public Guid? CurrentActorId =>
        http.HttpContext?.User is { Identity.IsAuthenticated: true } user
        && Guid.TryParse(user.FindFirstValue(ApiKeyAuthentication.KeyIdClaim) ?? user.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
}
