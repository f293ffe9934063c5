using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Storage.Records.Payments;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Payments.Checkout;

/// <summary>
/// What the payer sees when the provider sends them back: the payment's state and, once vended, the vend. Why a vend
/// failed is for staff (it is on the session and in the audit log), not for whoever holds the return address.
/// </summary>
public sealed record PaymentResult(
    Guid SessionId,
    PaymentStatus Status,
    string Origin,
    string Amount,
    string Currency,
    string MeterNumber,
    string? Method,
    string? ProviderPaymentId,
    VendResponse? Vend);

/// <summary>
/// The payer's result page reads its session here, with the session's access key (the return address carries it).
/// An approved payment whose vend is not made yet (the callback's vend failed half-way, a crash) is completed
/// here: the vend's key is the payment id, so this can never make a second vend.
/// </summary>
public sealed class PaymentResults(IServiceScopeFactory scopes, PaymentVends vends)
{
    /// <summary>The payer's return address: the result page with the session's access key.</summary>
    public static string Address(PaymentSession session) => $"/pay/{session.Id:D}?key={session.AccessKey}";

    public async Task<PaymentResult?> FindAsync(Guid sessionId, string? accessKey, CancellationToken ct)
    {
        var session = await LoadAsync(sessionId, ct);
        if (session is null || accessKey is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(session.AccessKey), Encoding.ASCII.GetBytes(accessKey)))
        {
            return null;
        }
        if (session.Status == PaymentStatus.Approved)
        {
            await vends.CompleteAsync(session.Id, ct);
            session = (await LoadAsync(sessionId, ct))!;
        }
        VendResponse? vend = null;
        if (session.VendId is { } vendId)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var json = await db.Vends.AsNoTracking().Where(v => v.Id == vendId).Select(v => v.Response).FirstAsync(ct);
            vend = JsonSerializer.Deserialize<VendResponse>(json, VendingService.JsonOptions);
        }
        return new PaymentResult(session.Id, session.Status, session.Origin, new Money(session.AmountMinor, Currency.FromCode(session.Currency)).ToDecimalString(),
            session.Currency, session.MeterNumber, session.PaymentMethod, session.ProviderPaymentId, vend);
    }

    private async Task<PaymentSession?> LoadAsync(Guid sessionId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().PaymentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
    }
}
