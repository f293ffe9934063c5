using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Catalog;
using Prepay.Domain.Sites;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Vending.Vends;

namespace Prepay.Server.Apis.Catalog;

public sealed record SiteInput(string? Code, string? Name, SiteKind? Kind);

public sealed record SiteDto(Guid Id, string Code, string Name, SiteKind Kind);

public sealed record PremisesInput(string? Label, Guid? CustomerId);

/// <param name="CustomerSince">When the current tenant moved in (set when a customer is assigned): what the tenant sees of the meter starts here.</param>
public sealed record PremisesDto(Guid Id, Guid SiteId, string Label, Guid? CustomerId, string? MeterNumber, Instant? CustomerSince = null);

public static class SitesApi
{
    public static void MapSitesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/sites").WithTags("Sites and premises").RequireAuthorization(Policies.Staff);
        g.MapGet("/", async (PrepayDb db, CancellationToken ct) =>
            TypedResults.Ok(await db.Sites.AsNoTracking().OrderBy(s => s.Code).Select(s => new SiteDto(s.Id, s.Code, s.Name, s.Kind)).ToListAsync(ct)));
        g.MapGet("/{code}", GetSite);
        g.MapPost("/", CreateSite).Accepts<SiteInput>("application/json");
        g.MapGet("/{code}/premises", ListPremises);
        g.MapPost("/{code}/premises", CreatePremises).Accepts<PremisesInput>("application/json");
        g.MapPut("/{code}/premises/{label}", UpdatePremises).Accepts<PremisesInput>("application/json");
    }

    private static async Task<Results<Ok<SiteDto>, ProblemHttpResult>> GetSite(string code, PrepayDb db, CancellationToken ct) =>
        await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Code == code, ct) is { } s
            ? TypedResults.Ok(new SiteDto(s.Id, s.Code, s.Name, s.Kind))
            : Problems.NotFound($"No site '{code}'.");

    private static async Task<IResult> CreateSite(HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<SiteInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        if (!CatalogCodes.IsValid(input!.Code))
        {
            errors["code"] = [CatalogCodes.Rule];
        }
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
        {
            errors["name"] = ["is required, at most 200 characters"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (await db.Sites.AnyAsync(s => s.Code == input.Code, ct))
        {
            return Problems.Conflict("duplicate", $"Site '{input.Code}' exists.");
        }
        var site = new Site { Id = Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()), Code = input.Code!, Name = input.Name!.Trim(), Kind = input.Kind ?? SiteKind.Other, CreatedAt = clock.GetCurrentInstant() };
        db.Sites.Add(site);
        Audit.Record(db, http, clock, "site.create", $"site/{site.Code}", site.Name);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/sites/{site.Code}", new SiteDto(site.Id, site.Code, site.Name, site.Kind));
    }

    private static async Task<IResult> ListPremises(string code, PrepayDb db, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Code == code, ct);
        if (site is null)
        {
            return Problems.NotFound($"No site '{code}'.");
        }
        var rows = await (
            from p in db.Premises.AsNoTracking().Where(p => p.SiteId == site.Id)
            join i in db.MeterInstallations.Where(i => i.RemovedAt == null) on p.Id equals i.PremisesId into installs
            from i in installs.DefaultIfEmpty()
            join m in db.Meters on i.MeterId equals m.Id into meters
            from m in meters.DefaultIfEmpty()
            orderby p.Label
            select new PremisesDto(p.Id, p.SiteId, p.Label, p.CustomerId, m.MeterNumber, p.CustomerSince)).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> CreatePremises(string code, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<PremisesInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Code == code, ct);
        if (site is null)
        {
            return Problems.NotFound($"No site '{code}'.");
        }
        if (string.IsNullOrWhiteSpace(input!.Label) || input.Label.Trim().Length > VendCommand.MaxLabelLength)
        {
            return Problems.Invalid("label", $"is required, at most {VendCommand.MaxLabelLength} characters");
        }
        if (input.CustomerId is { } cid && !await db.Customers.AnyAsync(c => c.Id == cid, ct))
        {
            return Problems.Invalid("customerId", "no such customer");
        }
        var label = input.Label.Trim();
        if (await db.Premises.AnyAsync(p => p.SiteId == site.Id && p.Label == label, ct))
        {
            return Problems.Conflict("duplicate", $"Site '{code}' already has unit '{label}'.");
        }
        var now = clock.GetCurrentInstant();
        var premises = new Premises { Id = Guid.CreateVersion7(now.ToDateTimeOffset()), SiteId = site.Id, Label = label, CreatedAt = now };
        premises.AssignCustomer(input.CustomerId, now);
        db.Premises.Add(premises);
        Audit.Record(db, http, clock, "premises.create", $"site/{code}/premises/{label}", input.CustomerId?.ToString());
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/sites/{code}/premises/{label}", new PremisesDto(premises.Id, site.Id, label, premises.CustomerId, null, premises.CustomerSince));
    }

    private static async Task<IResult> UpdatePremises(string code, string label, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<PremisesInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var premises = await (from p in db.Premises join s in db.Sites on p.SiteId equals s.Id where s.Code == code && p.Label == label select p).FirstOrDefaultAsync(ct);
        if (premises is null)
        {
            return Problems.NotFound($"No unit '{label}' at site '{code}'.");
        }
        if (input!.CustomerId is { } cid && !await db.Customers.AnyAsync(c => c.Id == cid, ct))
        {
            return Problems.Invalid("customerId", "no such customer");
        }
        // A new customer starts a new tenancy: from now on the portal shows them this meter's history from here on only.
        var before = premises.CustomerId;
        if (premises.AssignCustomer(input.CustomerId, clock.GetCurrentInstant()))
        {
            Audit.Record(db, http, clock, "premises.update", $"site/{code}/premises/{label}", $"customer={before} -> customer={input.CustomerId}");
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(new PremisesDto(premises.Id, premises.SiteId, premises.Label, premises.CustomerId, null, premises.CustomerSince));
    }
}
