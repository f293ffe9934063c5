using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Payments.Providers;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;
using Prepay.Vending.Postings;
using Prepay.Vending.Vends;

namespace Prepay.Payments.Checkout;

/// <summary>Where a payer starts: the signed-in portal, or the public recharge page.</summary>
public static class PaymentOrigins
{
    public const string Portal = "portal";
    public const string Recharge = "recharge";
}

/// <summary>A payer's request to pay <paramref name="Amount"/> for a meter; the key comes from the form that asked.</summary>
/// <param name="PayerCustomerId">The signed-in customer; the meter must be theirs. Null on the public page.</param>
/// <param name="ActorName">Who asked, as the audit log names them.</param>
public sealed record CheckoutRequest(string? IdempotencyKey, string? MeterNumber, string? Amount, string Origin, Guid? PayerCustomerId, string ActorName);

public abstract record CheckoutOutcome
{
    /// <summary>Send the payer's browser to <see cref="CheckoutAddress"/>.</summary>
    public sealed record Started(Guid SessionId, string CheckoutAddress) : CheckoutOutcome;

    /// <param name="Code">unavailable, invalid, not-found or key-reused.</param>
    public sealed record Refused(string Code, string Message) : CheckoutOutcome;
}

/// <summary>
/// Opens checkout sessions. Everything a vend would refuse for the meter or amount is refused here too, before
/// the payer pays: a payment the vend then refuses needs a refund. The same form sent twice opens one session.
/// </summary>
public sealed class CheckoutService(IServiceScopeFactory scopes, PaymentProviders providers, PaymentsOptions options, VendingService vending, IClock clock)
{
    public async Task<CheckoutOutcome> StartAsync(CheckoutRequest request, CancellationToken ct)
    {
        if (providers.Default is not { } provider)
        {
            return new CheckoutOutcome.Refused("unavailable", "Online payment is not available on this server: please pay at a vendor.");
        }
        if (IdempotencyKeys.Problem(request.IdempotencyKey) is not null)
        {
            return new CheckoutOutcome.Refused("invalid", "This payment form is out of date: please start again.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var number = request.MeterNumber?.Trim() ?? "";
        var meter = await MeterPlacements.Current(db).Where(x => x.Meter.MeterNumber == number)
            .Select(x => new { x.Meter.Id, x.Meter.MeterNumber, x.Meter.Currency, x.CustomerId }).FirstOrDefaultAsync(ct);
        // A portal payer may pay only for their own meters; to anyone else, another customer's meter does not exist.
        if (meter?.CustomerId is not { } customerId || (request.PayerCustomerId is { } payer && payer != customerId))
        {
            return new CheckoutOutcome.Refused("not-found", "No meter found with that number.");
        }
        var currency = Currency.FromCode(meter.Currency);
        var amount = Money.TryParse(request.Amount?.Trim(), currency);
        if (!amount.Success || !amount.Value.IsPositive)
        {
            return new CheckoutOutcome.Refused("invalid", $"Enter an amount in {currency.Code}, such as 100.00.");
        }
        if (amount.Value.Minor > vending.MaxAmountMinor)
        {
            return new CheckoutOutcome.Refused("invalid", $"The most one payment can be is {new Money(vending.MaxAmountMinor, currency).ToDecimalString()} {currency.Code}.");
        }
        if (!await db.Vendors.AnyAsync(v => v.Code == options.VendorCode && v.Currency == currency.Code, ct))
        {
            return new CheckoutOutcome.Refused("unavailable", $"Online payment in {currency.Code} is not set up on this server: please pay at a vendor.");
        }

        var hash = Hash(meter.MeterNumber, amount.Value, request.Origin, request.PayerCustomerId);
        if (await ExistingAsync(db, request.IdempotencyKey!, hash, provider, ct) is { } earlier)
        {
            return earlier;
        }
        var now = clock.GetCurrentInstant();
        var session = new PaymentSession
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Provider = provider.Name,
            Status = PaymentStatus.Pending,
            Origin = request.Origin,
            IdempotencyKey = request.IdempotencyKey!,
            RequestHash = hash,
            AccessKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            MeterId = meter.Id,
            MeterNumber = meter.MeterNumber,
            CustomerId = customerId,
            PayerCustomerId = request.PayerCustomerId,
            AmountMinor = amount.Value.Minor,
            Currency = currency.Code,
            CreatedAt = now,
            ExpiresAt = now + Duration.FromTimeSpan(options.SessionLifetime),
        };
        db.PaymentSessions.Add(session);
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = request.ActorName, Action = "payment.checkout", Target = $"payment/{session.Id}",
            Details = $"{amount.Value} for meter {meter.MeterNumber} via {provider.Name} ({request.Origin})",
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (WriteTransactions.IsUniqueViolation(e))
        {
            // The same form, sent twice at once: the other request opened the session.
            await using var fresh = scopes.CreateAsyncScope();
            return await ExistingAsync(fresh.ServiceProvider.GetRequiredService<PrepayDb>(), request.IdempotencyKey!, hash, provider, ct)
                   ?? throw new InvalidOperationException("A payment session's key was taken but its session is missing.");
        }
        return new CheckoutOutcome.Started(session.Id, provider.CheckoutAddress(session));
    }

    private static async Task<CheckoutOutcome?> ExistingAsync(PrepayDb db, string key, string hash, IPaymentProvider provider, CancellationToken ct)
    {
        var existing = await db.PaymentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.IdempotencyKey == key, ct);
        return existing is null ? null
            : existing.RequestHash != hash ? new CheckoutOutcome.Refused("key-reused", "This payment form was already used for a different payment: please start again.")
            : new CheckoutOutcome.Started(existing.Id, provider.CheckoutAddress(existing));
    }

    private static string Hash(string meterNumber, Money amount, string origin, Guid? payer) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
            meterNumber, amount.Minor.ToString(CultureInfo.InvariantCulture), amount.Currency.Code, origin, payer?.ToString("N") ?? ""))));
}
