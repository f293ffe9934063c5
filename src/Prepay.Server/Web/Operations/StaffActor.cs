using System.Security.Claims;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.People;
using Prepay.Vending;

namespace Prepay.Server.Web.Operations;

/// <summary>An operator or administrator signed in to the pages, as the services and the audit log see them.</summary>
public static class StaffActor
{
    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(PeopleRoles.Admin);

    /// <summary>The person as an actor of their role, optionally selling from a vendor's float.</summary>
    public static Actor Of(ClaimsPrincipal user, Guid? vendorId = null) =>
        new(PersonActor.IdOf(user), "person/" + (user.Identity?.Name ?? "?"), IsAdmin(user) ? Role.Admin : Role.Operator, vendorId, null);

    /// <summary>How the person appears in the audit log, e.g. <c>operator:person/operator</c>.</summary>
    public static string AuditName(ClaimsPrincipal user) => Of(user).AuditName;
}
