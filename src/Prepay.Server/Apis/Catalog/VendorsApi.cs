using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Catalog;
using Prepay.Domain.Money;
using Prepay.Domain.Vendors;
using Prepay.Ledger.Accounts;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Vending.Approvals;
using Prepay.Vending.Vends;

namespace Prepay.Server.Apis.Catalog;

public sealed record VendorInput(string? Code, string? Name, VendorChannel? Channel, string? Currency, int? CommissionBasisPoints);

public sealed record VendorDto(Guid Id, string Code, string Name, VendorChannel Channel, string Currency, int CommissionBasisPoints, string Float, string Commission);

public sealed record FloatDepositInput(string? Amount, string? Reference);

public static class VendorsApi
{
    public static void MapVendorsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/vendors").WithTags("Vendors and floats");
        g.MapGet("/", List).RequireAuthorization(Policies.Staff);
        g.MapGet("/{code}", Get).RequireAuthorization(Policies.Anyone);
        g.MapPost("/", Create).RequireAuthorization(Policies.Staff).Accepts<VendorInput>("application/json");
        g.MapPost("/{code}/float-deposits", Deposit).RequireAuthorization(Policies.Staff).Accepts<FloatDepositInput>("application/json")
            .WithSummary("Ask for money a vendor paid in to be added to its float (202 with the request, at most Vending:Approvals:DepositCap); another admin approves it at /approvals/{id}/approve.");
    }

    private static async Task<VendorDto> Dto(PrepayDb db, Vendor v, CancellationToken ct)
    {
        var currency = Currency.FromCode(v.Currency);
        var floatBalance = await LedgerStore.BalanceAsync(db, AccountCode.VendorFloat(v.Id, v.Currency), ct);
        var commission = await LedgerStore.BalanceAsync(db, AccountCode.VendorCommission(v.Id, v.Currency), ct);
        return new VendorDto(v.Id, v.Code, v.Name, v.Channel, v.Currency, v.CommissionBasisPoints,
            new Money(floatBalance, currency).ToDecimalString(), new Money(commission, currency).ToDecimalString());
    }

    private static async Task<IResult> List(PrepayDb db, CancellationToken ct)
    {
        var list = new List<VendorDto>();
        foreach (var v in await db.Vendors.AsNoTracking().OrderBy(v => v.Code).ToListAsync(ct))
        {
            list.Add(await Dto(db, v, ct));
        }
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> Get(string code, HttpContext http, PrepayDb db, CancellationToken ct)
    {
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Code == code, ct);
        var actor = ApiKeyAuthentication.ActorOf(http.User);
        // A vendor's key sees its own vendor only; to the others it does not exist.
        if (vendor is null || (actor.Role is Vending.Role.Vendor or Vending.Role.App && actor.VendorId != vendor.Id))
        {
            return Problems.NotFound($"No vendor '{code}'.");
        }
        return TypedResults.Ok(await Dto(db, vendor, ct));
    }

    private static async Task<IResult> Create(HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<VendorInput>(http.Request, ct);
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
        if (!Currency.TryFromCode(input.Currency, out var currency))
        {
            errors["currency"] = ["must be a supported ISO 4217 code"];
        }
        if (input.CommissionBasisPoints is < 0 or > 10_000)
        {
            errors["commissionBasisPoints"] = ["must be 0 to 10000 (100.00 %)"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (await db.Vendors.AnyAsync(v => v.Code == input.Code, ct))
        {
            return Problems.Conflict("duplicate", $"Vendor '{input.Code}' exists.");
        }
        var now = clock.GetCurrentInstant();
        var vendor = new Vendor
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Code = input.Code!,
            Name = input.Name!.Trim(),
            Channel = input.Channel ?? VendorChannel.Shop,
            Currency = currency.Code,
            CommissionBasisPoints = input.CommissionBasisPoints ?? 0,
            CreatedAt = now,
        };
        db.Vendors.Add(vendor);
        Audit.Record(db, http, clock, "vendor.create", $"vendor/{vendor.Code}", $"{vendor.Channel} {vendor.Currency} {vendor.CommissionBasisPoints}bp");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/vendors/{vendor.Code}", await Dto(db, vendor, ct));
    }

    private static async Task<IResult> Deposit(string code, HttpContext http, FloatDeposits deposits, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<FloatDepositInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        return ApprovalsApi.Result(await deposits.RequestAsync(code, input!.Amount, input.Reference, ApiKeyAuthentication.ActorOf(http.User), ct));
    }
}
