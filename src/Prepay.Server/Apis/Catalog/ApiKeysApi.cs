using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Vending;
using Prepay.Vending.Vends;

namespace Prepay.Server.Apis.Catalog;

public sealed record ApiKeyInput(string? Name, Role? Role, string? VendorCode);

/// <summary>The secret <see cref="Key"/> is shown once, in the response that creates it; only its hash is kept.</summary>
public sealed record ApiKeyCreated(Guid Id, string Name, Role Role, string? VendorCode, string Key);

public sealed record ApiKeyDto(Guid Id, string Name, string Role, string Prefix, Guid? VendorId, Instant CreatedAt, Instant? RevokedAt);

public static class ApiKeysApi
{
    public static void MapApiKeysApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        g.MapGet("/", async (PrepayDb db, CancellationToken ct) => TypedResults.Ok(await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Role, k.Prefix, k.VendorId, k.CreatedAt, k.RevokedAt)).ToListAsync(ct)));
        g.MapPost("/", Create).Accepts<ApiKeyInput>("application/json");
        g.MapDelete("/{id:guid}", Revoke);
    }

    private static async Task<IResult> Create(HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<ApiKeyInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        if (string.IsNullOrWhiteSpace(input!.Name) || input.Name.Length > 100)
        {
            return Problems.Invalid("name", "is required, at most 100 characters");
        }
        if (input.Role is not { } role || role == Role.System)
        {
            return Problems.Invalid("role", "is required: admin, operator, vendor, app or monitor");
        }
        Guid? vendorId = null;
        if (role is Role.Vendor or Role.App || input.VendorCode is not null)
        {
            vendorId = await db.Vendors.Where(v => v.Code == input.VendorCode).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
            if (vendorId is null)
            {
                return Problems.Invalid("vendorCode", "vendor and app keys sell from a vendor's float: name an existing vendor");
            }
        }
        var key = ApiKeys.NewKey();
        var now = clock.GetCurrentInstant();
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Name = input.Name.Trim(),
            Role = role.ToString(),
            Prefix = ApiKeys.DisplayPrefix(key),
            Hash = ApiKeys.Hash(key),
            VendorId = vendorId,
            CreatedAt = now,
        };
        db.ApiKeys.Add(record);
        Audit.Record(db, http, clock, "apikey.create", $"apikey/{record.Id}", $"{role} {record.Name} vendor={input.VendorCode}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/api-keys/{record.Id}", new ApiKeyCreated(record.Id, record.Name, role, input.VendorCode, key));
    }

    private static async Task<IResult> Revoke(Guid id, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var record = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (record is null)
        {
            return Problems.NotFound($"No API key {id}.");
        }
        record.RevokedAt ??= clock.GetCurrentInstant();
        Audit.Record(db, http, clock, "apikey.revoke", $"apikey/{id}");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
