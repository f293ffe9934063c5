using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Prepay.Server.Web;

/// <summary>
/// How long a person's sign-in lasts (section <c>Sessions</c>). OWASP ASVS 5.0 V7.3: an idle timeout, which a page's
/// own background refreshes (the console's live panels, which send <c>X-Prepay-Background</c>) do not extend, and an
/// absolute lifetime after which the person signs in again whatever they did.
/// </summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>The header the site's scripts send on their background refreshes.</summary>
    public const string BackgroundHeader = "X-Prepay-Background";

    private const string SignedInAt = ".prepay.signed-in-at";

    /// <summary>Default 30 minutes; 1 second to 12 hours.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Default 12 hours; at least the idle timeout, at most 7 days.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    public string? Validate() =>
        IdleTimeout < TimeSpan.FromSeconds(1) || IdleTimeout > TimeSpan.FromHours(12) ? "Sessions:IdleTimeout must be 1 second to 12 hours"
        : AbsoluteLifetime < IdleTimeout || AbsoluteLifetime > TimeSpan.FromDays(7) ? "Sessions:AbsoluteLifetime must be at least the idle timeout and at most 7 days"
        : null;

    /// <summary>Applies these limits to the sign-in cookie, keeping Identity's security stamp check.</summary>
    public void Apply(CookieAuthenticationOptions o)
    {
        o.ExpireTimeSpan = IdleTimeout;
        o.SlidingExpiration = true;
        o.Events.OnSigningIn = context =>
        {
            context.Properties.Items[SignedInAt] = Now(context.Options).ToString("O", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        };
        o.Events.OnCheckSlidingExpiration = context =>
        {
            if (context.HttpContext.Request.Headers.ContainsKey(BackgroundHeader))
            {
                context.ShouldRenew = false;
            }
            return Task.CompletedTask;
        };
        o.Events.OnValidatePrincipal = async context =>
        {
            if (context.Properties.Items.TryGetValue(SignedInAt, out var at)
                && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedIn)
                && Now(context.Options) - signedIn > AbsoluteLifetime)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await SecurityStampValidator.ValidatePrincipalAsync(context);
            if (context.HttpContext.Request.Headers.ContainsKey(BackgroundHeader))
            {
                // The stamp check renews the cookie when it passes; a background refresh must not extend the session.
                context.ShouldRenew = false;
            }
        };
    }

    private static DateTimeOffset Now(CookieAuthenticationOptions options) => (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
}
