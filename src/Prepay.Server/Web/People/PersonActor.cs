using System.Globalization;
using System.Security.Claims;
using Prepay.Storage.Records.People;
using Prepay.Vending;

namespace Prepay.Server.Web.People;

/// <summary>The signed-in person as the services see an actor: a clerk sells as its vendor, named by its user name in the audit log.</summary>
public static class PersonActor
{
    public static Guid? VendorIdOf(ClaimsPrincipal user) => GuidClaim(user, PeopleClaims.VendorId);

    public static Guid? CustomerIdOf(ClaimsPrincipal user) => GuidClaim(user, PeopleClaims.CustomerId);

    /// <summary>A vendor clerk as an actor of role <see cref="Role.Vendor"/>, bound to the clerk's vendor.</summary>
    public static Actor Clerk(ClaimsPrincipal user) =>
        new(IdOf(user), "clerk/" + (user.Identity?.Name ?? "?"), Role.Vendor,
            VendorIdOf(user) ?? throw new InvalidOperationException("A vendor clerk without a vendor claim reached a clerk page."), null);

    public static Guid IdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id) ? id : Guid.Empty;

    private static Guid? GuidClaim(ClaimsPrincipal user, string type) =>
        Guid.TryParse(user.FindFirstValue(type), CultureInfo.InvariantCulture, out var id) ? id : null;
}
