using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.People;

namespace Prepay.Server.Web.People;

/// <summary>
/// An administrator's work on staff sign-ins: create an operator, administrator or clerk (with a first password
/// shown once), disable and enable, reset the second factor. Each change renews the person's security stamp, so
/// whatever sessions they had end at their next request, and each is audited with who did it to whom, by id.
/// Nobody disables or resets themselves (a slip that would lock the last administrator out).
/// </summary>
public sealed class StaffAccounts(UserManager<PersonAccount> users, PrepayDb db, IClock clock)
{
    public static readonly IReadOnlyList<string> StaffRoles = [PeopleRoles.Admin, PeopleRoles.Operator, PeopleRoles.VendorClerk];

    public sealed record Person(Guid Id, string UserName, string Role, string? VendorCode, bool SecondFactor, bool Disabled);

    public abstract record Outcome
    {
        /// <summary>Done; <paramref name="Password"/> is the new person's first password, shown once.</summary>
        public sealed record Done(Person Person, string? Password = null) : Outcome;

        public sealed record NotFound : Outcome;

        /// <summary>An administrator acting on their own sign-in.</summary>
        public sealed record Self : Outcome;

        public sealed record Invalid(string Message) : Outcome;
    }

    public async Task<IReadOnlyList<Person>> ListAsync(CancellationToken ct)
    {
        var vendors = await db.Vendors.AsNoTracking().ToDictionaryAsync(v => v.Id.ToString("D", CultureInfo.InvariantCulture), v => v.Code, ct);
        var rows = await (from u in db.Users
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          where StaffRoles.Contains(r.Name!)
                          orderby u.UserName
                          select new { u.Id, u.UserName, Role = r.Name!, u.TwoFactorEnabled, u.LockoutEnd }).AsNoTracking().ToListAsync(ct);
        var vendorClaims = await db.UserClaims.AsNoTracking().Where(c => c.ClaimType == PeopleClaims.VendorId)
            .ToDictionaryAsync(c => c.UserId, c => c.ClaimValue, ct);
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        return rows.Select(r => new Person(r.Id, r.UserName!, r.Role,
            vendorClaims.TryGetValue(r.Id, out var v) && v is not null && vendors.TryGetValue(v, out var code) ? code : null,
            r.TwoFactorEnabled, r.LockoutEnd is { } end && end > now)).ToList();
    }

    public async Task<Outcome> CreateAsync(ClaimsPrincipal admin, string? userName, string? role, string? vendorCode, CancellationToken ct)
    {
        var name = userName?.Trim() ?? "";
        if (name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return new Outcome.Invalid("A user name has 3 to 64 letters, digits, '-', '_' or '.'.");
        }
        if (role is null || !StaffRoles.Contains(role))
        {
            return new Outcome.Invalid("Choose the role: administrator, operator or clerk.");
        }
        Guid? vendorId = null;
        if (role == PeopleRoles.VendorClerk)
        {
            vendorId = await db.Vendors.AsNoTracking().Where(v => v.Code == vendorCode).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
            if (vendorId is null)
            {
                return new Outcome.Invalid("A clerk sells for a vendor: choose one.");
            }
        }
        else if (!string.IsNullOrEmpty(vendorCode))
        {
            return new Outcome.Invalid("Only clerks belong to a vendor.");
        }
        if (await users.FindByNameAsync(name) is not null)
        {
            return new Outcome.Invalid($"The user name '{name}' is taken.");
        }
        var password = PeopleAccounts.NewPassword();
        var person = await PeopleAccounts.EnsureAsync(users, name, password, role, vendorId);
        await AuditAsync(admin, "person.create", person, $"role {role}{(vendorCode is null or "" ? "" : $", vendor {vendorCode}")}", ct);
        return new Outcome.Done(new Person(person.Id, name, role, vendorId is null ? null : vendorCode, false, false), password);
    }

    /// <summary>Disables (or enables again) a sign-in: a lockout without end, and every session of it ends.</summary>
    public Task<Outcome> SetDisabledAsync(ClaimsPrincipal admin, Guid personId, bool disabled, CancellationToken ct) =>
        ChangeAsync(admin, personId, disabled ? "person.disable" : "person.enable", async person =>
        {
            await Check(users.SetLockoutEnabledAsync(person, true));
            await Check(users.SetLockoutEndDateAsync(person, disabled ? DateTimeOffset.MaxValue : null));
            if (!disabled)
            {
                await Check(users.ResetAccessFailedCountAsync(person));
            }
        }, ct);

    /// <summary>Forgets the person's authenticator and recovery codes: they enrol again at their next sign-in.</summary>
    public Task<Outcome> ResetSecondFactorAsync(ClaimsPrincipal admin, Guid personId, CancellationToken ct) =>
        ChangeAsync(admin, personId, "person.two-factor.reset", async person =>
        {
            await Check(users.SetTwoFactorEnabledAsync(person, false));
            await Check(users.ResetAuthenticatorKeyAsync(person));
            // No codes at all: the old recovery codes stop working too (the enrolment makes ten new ones).
            if (await users.GenerateNewTwoFactorRecoveryCodesAsync(person, 0) is null)
            {
                throw new InvalidOperationException($"Could not clear the recovery codes of {person.UserName}.");
            }
        }, ct);

    private async Task<Outcome> ChangeAsync(ClaimsPrincipal admin, Guid personId, string action, Func<PersonAccount, Task> change, CancellationToken ct)
    {
        if (PersonActor.IdOf(admin) == personId)
        {
            return new Outcome.Self();
        }
        var person = await users.FindByIdAsync(personId.ToString("D", CultureInfo.InvariantCulture));
        if (person is null || !(await users.GetRolesAsync(person)).Any(StaffRoles.Contains))
        {
            return new Outcome.NotFound();
        }
        await change(person);
        await Check(users.UpdateSecurityStampAsync(person));
        await AuditAsync(admin, action, person, null, ct);
        var listed = (await ListAsync(ct)).Single(p => p.Id == personId);
        return new Outcome.Done(listed);
    }

    private Task AuditAsync(ClaimsPrincipal admin, string action, PersonAccount person, string? details, CancellationToken ct) =>
        PeopleAudit.RecordAsync(db, clock, $"admin:person/{admin.Identity?.Name} ({PersonActor.IdOf(admin):D})", action,
            $"person/{person.UserName} ({person.Id:D})", details, ct);

    private static async Task Check(Task<IdentityResult> operation)
    {
        var result = await operation;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
