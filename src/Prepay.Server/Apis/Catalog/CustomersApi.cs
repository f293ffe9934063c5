using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Parties;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Server.Apis;
using Prepay.Vending.Approvals;
using Prepay.Vending.Debts;

namespace Prepay.Server.Apis.Catalog;

public sealed record DebtInput(string? Amount, string? Currency, string? Reason);

/// <param name="Indigent">Left out: false for a new customer, unchanged on an update (a flag that protects a household is never cleared by omission).</param>
/// <param name="Protected">As <paramref name="Indigent"/>.</param>
public sealed record CustomerInput(string? Name, string? Phone, string? Email, bool? Indigent, bool? Protected);

public sealed record CustomerDto(Guid Id, string Name, string? Phone, string? Email, bool Indigent, bool Protected, Instant CreatedAt)
{
    public static CustomerDto From(Customer c) => new(c.Id, c.Name, c.Phone, c.Email, c.Indigent, c.Protected, c.CreatedAt);
}

public static class CustomersApi
{
    public static void MapCustomersApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/customers").WithTags("Customers").RequireAuthorization(Policies.Staff);
        g.MapGet("/", List);
        g.MapGet("/{id:guid}", Get);
        g.MapPost("/", Create).Accepts<CustomerInput>("application/json");
        g.MapPut("/{id:guid}", Update).Accepts<CustomerInput>("application/json");
        g.MapGet("/{id:guid}/account", Account).WithSummary("The customer's credit (carried remainder) and debt outstanding in a currency.");
        g.MapPost("/{id:guid}/debts", LoadDebt).Accepts<DebtInput>("application/json")
            .WithSummary("Ask for arrears to be loaded onto the customer's account (202 with the request; capped per load and per customer), recovered from purchases by the tariff's debt rule once another admin approves.");
        g.MapPost("/{id:guid}/debt-write-offs", WriteOffDebt).Accepts<DebtInput>("application/json")
            .WithSummary("Ask for debt that will not be repaid to be written off (202 with the request; at most what is owed), posted to the write-off account once another admin approves.");
    }

    private static async Task<IResult> Account(Guid id, string? currency, PrepayDb db, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound($"No customer {id}.");
        }
        if (!Domain.Money.Currency.TryFromCode(currency ?? "ZAR", out var cur))
        {
            return Problems.Invalid("currency", "must be a supported ISO 4217 code");
        }
        return TypedResults.Ok(await DebtService.AccountAsync(db, id, cur, ct));
    }

    private static async Task<IResult> LoadDebt(Guid id, HttpContext http, DebtApprovals debts, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<DebtInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        return ApprovalsApi.Result(await debts.RequestLoadAsync(id, input!.Amount, input.Currency, input.Reason, ApiKeyAuthentication.ActorOf(http.User), ct));
    }

    private static async Task<IResult> WriteOffDebt(Guid id, HttpContext http, DebtApprovals debts, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<DebtInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        return ApprovalsApi.Result(await debts.RequestWriteOffAsync(id, input!.Amount, input.Currency, input.Reason, ApiKeyAuthentication.ActorOf(http.User), ct));
    }

    private static async Task<Ok<List<CustomerDto>>> List(PrepayDb db, string? search, int? limit, CancellationToken ct)
    {
        var q = db.Customers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            q = q.Where(c => c.Name.Contains(search) || c.Phone == search || c.Email == search);
        }
        var rows = await q.OrderBy(c => c.Name).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(CustomerDto.From).ToList());
    }

    private static async Task<Results<Ok<CustomerDto>, ProblemHttpResult>> Get(Guid id, PrepayDb db, CancellationToken ct) =>
        await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c
            ? TypedResults.Ok(CustomerDto.From(c))
            : Problems.NotFound($"No customer {id}.");

    private static async Task<IResult> Create(HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<CustomerInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        if (Validate(input!) is { } invalid)
        {
            return invalid;
        }
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()),
            Name = input!.Name!.Trim(),
            Phone = input.Phone?.Trim(),
            Email = input.Email?.Trim(),
            Indigent = input.Indigent ?? false,
            Protected = input.Protected ?? false,
            CreatedAt = clock.GetCurrentInstant(),
        };
        db.Customers.Add(customer);
        Audit.Record(db, http, clock, "customer.create", $"customer/{customer.Id}", customer.Name);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/customers/{customer.Id}", CustomerDto.From(customer));
    }

    private static async Task<IResult> Update(Guid id, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<CustomerInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        if (Validate(input!) is { } invalid)
        {
            return invalid;
        }
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return Problems.NotFound($"No customer {id}.");
        }
        // Old and new values in the audit: who changed a phone number or an address is what a dispute asks.
        var before = $"name={customer.Name} phone={customer.Phone} email={customer.Email} indigent={customer.Indigent} protected={customer.Protected}";
        customer.Name = input!.Name!.Trim();
        customer.Phone = input.Phone?.Trim();
        customer.Email = input.Email?.Trim();
        customer.Indigent = input.Indigent ?? customer.Indigent;
        customer.Protected = input.Protected ?? customer.Protected;
        var after = $"name={customer.Name} phone={customer.Phone} email={customer.Email} indigent={customer.Indigent} protected={customer.Protected}";
        Audit.Record(db, http, clock, "customer.update", $"customer/{id}", $"{before} -> {after}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CustomerDto.From(customer));
    }

    private static IResult? Validate(CustomerInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
        {
            errors["name"] = ["is required, at most 200 characters"];
        }
        if (input.Phone is { } phone && (phone.Length > 30 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-')))
        {
            errors["phone"] = ["must be digits, spaces, '+' or '-', at most 30 characters"];
        }
        if (input.Email is { } email && (email.Length > 200 || !email.Contains('@', StringComparison.Ordinal)))
        {
            errors["email"] = ["must be an email address"];
        }
        return errors.Count > 0 ? Problems.Invalid(errors) : null;
    }
}
