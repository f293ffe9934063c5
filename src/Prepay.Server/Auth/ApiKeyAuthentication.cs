using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NodaTime;

using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Vending;

namespace Prepay.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. The key's hash is looked up (and remembered for a short while, so a
/// revoked key stops working within <see cref="CacheFor"/>); the principal carries the key's role and the vendor
/// or customer it is bound to. Failures answer with problem details.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IMemoryCache cache,
    IClock clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public const string KeyIdClaim = "prepay:key";
    public const string VendorClaim = "prepay:vendor";
    public const string CustomerClaim = "prepay:customer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Authorization must be 'Bearer <api key>'.");
        }
        var key = header["Bearer ".Length..].Trim();
        if (key.Length < ApiKeys.MinimumLength || key.Length > 200)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }
        var hash = ApiKeys.Hash(key);
        var principal = await cache.GetOrCreateAsync("apikey:" + hash, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            var now = clock.GetCurrentInstant();
            // The database is asked only on a cache miss: most requests never take a context from the pool here.
            var db = Context.RequestServices.GetRequiredService<PrepayDb>();
            var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && (k.RevokedAt == null || k.RevokedAt > now), Context.RequestAborted);
            if (row is null || !Enum.TryParse<Role>(row.Role, ignoreCase: true, out var role) || role == Role.System)
            {
                return null;
            }
            var claims = new List<Claim>
            {
                new(ClaimTypes.NameIdentifier, row.Id.ToString()),
                new(ClaimTypes.Name, row.Name),
                new(ClaimTypes.Role, role.ToString()),
                new(KeyIdClaim, row.Id.ToString()),
            };
            if (row.VendorId is { } v)
            {
                claims.Add(new Claim(VendorClaim, v.ToString()));
            }
            if (row.CustomerId is { } c)
            {
                claims.Add(new Claim(CustomerClaim, c.ToString()));
            }
            return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        });
        return principal is null
            ? AuthenticateResult.Fail("Invalid API key.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, "unauthorized", "Authentication required",
            "Send an API key as 'Authorization: Bearer <key>'.", wwwAuthenticate: true);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden",
            "This API key's role may not do this.");

    /// <summary>The calling key as the domain sees it.</summary>
    public static Actor ActorOf(ClaimsPrincipal user)
    {
        Guid? Id(string type) => user.FindFirstValue(type) is { } s ? Guid.Parse(s) : null;
        return new Actor(
            Id(KeyIdClaim) ?? Guid.Empty,
            user.Identity?.Name ?? "anonymous",
            Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role) ?? nameof(Role.App)),
            Id(VendorClaim),
            Id(CustomerClaim));
    }
}
