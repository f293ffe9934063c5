using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Storage;
using Prepay.Storage.Records.Payments;

namespace Prepay.Payments.Sandbox;

/// <summary>What the payer chose at the sandbox checkout.</summary>
public abstract record SandboxPayment
{
    public sealed record Card(string? Number, string? Expiry, string? Cvc) : SandboxPayment;

    public sealed record Mobile(string? Number) : SandboxPayment;

    /// <summary>The payer cancelled at the checkout.</summary>
    public sealed record Cancel : SandboxPayment;
}

/// <summary>The checkout as the sandbox shows it to the payer.</summary>
public sealed record SandboxCheckout(Guid SessionId, string Amount, string Currency, string MeterNumber, PaymentStatus Status, Instant ExpiresAt, bool Expired, string ReturnAddress);

public abstract record SandboxResult
{
    /// <summary>The payment was decided and its callback delivered (or tried): send the payer back to <see cref="ReturnAddress"/>.</summary>
    public sealed record Decided(bool Approved, bool CallbackDelivered, string ReturnAddress) : SandboxResult;

    /// <summary>The payer's input is not usable (not a test card, bad expiry); the checkout stays open.</summary>
    public sealed record Invalid(string Message) : SandboxResult;

    /// <summary>The checkout is gone: unknown, expired or already paid.</summary>
    public sealed record Closed(string Message) : SandboxResult;
}

/// <summary>
/// The sandbox provider's own side, as a card or mobile-money company runs it: it takes the payer's test card or
/// number, decides, and tells Prepay by a signed server-to-server callback (HMAC-SHA256 over timestamp and body,
/// retried a few times), then sends the payer back to Prepay's result page. It changes nothing in Prepay itself:
/// only the callback does, through the same endpoint a real provider would call.
/// </summary>
public sealed class SandboxGateway(
    IServiceScopeFactory scopes,
    SandboxSecret secret,
    SandboxOptions options,
    IHttpClientFactory http,
    IServer server,
    IClock clock,
    ILogger<SandboxGateway> log)
{
    public const string HttpClientName = "prepay-sandbox-callbacks";
    private const int Attempts = 3;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SandboxCheckout?> FindAsync(Guid sessionId, CancellationToken ct)
    {
        var session = await LoadAsync(sessionId, ct);
        return session is null ? null
            : new SandboxCheckout(session.Id, new Money(session.AmountMinor, Currency.FromCode(session.Currency)).ToDecimalString(), session.Currency,
                session.MeterNumber, session.Status, session.ExpiresAt, clock.GetCurrentInstant() >= session.ExpiresAt, PaymentResults.Address(session));
    }

    public async Task<SandboxResult> PayAsync(Guid sessionId, SandboxPayment payment, CancellationToken ct)
    {
        var session = await LoadAsync(sessionId, ct);
        if (session is null)
        {
            return new SandboxResult.Closed("This checkout does not exist.");
        }
        if (session.Status != PaymentStatus.Pending)
        {
            return new SandboxResult.Closed("This checkout is already closed.");
        }
        if (clock.GetCurrentInstant() >= session.ExpiresAt)
        {
            return new SandboxResult.Closed("This checkout has expired: go back to Prepay and start again.");
        }
        var (approved, declineReason, error, method) = payment switch
        {
            SandboxPayment.Card card => Card(card),
            SandboxPayment.Mobile mobile => Mobile(mobile),
            SandboxPayment.Cancel => (false, "payer_cancelled", null, null),
            _ => throw new InvalidOperationException($"Unknown payment {payment}"),
        };
        if (error is not null)
        {
            return new SandboxResult.Invalid(error);
        }
        var body = JsonSerializer.Serialize(new SandboxCallbackBody(
            "cb_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            approved ? SandboxCallbackBody.Approved : SandboxCallbackBody.Declined,
            session.Id,
            "sbx_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            new Money(session.AmountMinor, Currency.FromCode(session.Currency)).ToDecimalString(),
            session.Currency,
            method,
            declineReason), Json);
        var delivered = await SendAsync(body, ct);
        return new SandboxResult.Decided(approved, delivered, PaymentResults.Address(session));
    }

    /// <summary>Signs a body as the sandbox does, at the clock's current time: the header value for <see cref="SandboxProvider.SignatureHeader"/>.</summary>
    public string Sign(string body) => CallbackSignature.Sign(secret.Value, clock.GetCurrentInstant().ToUnixTimeSeconds(), body);

    /// <summary>Where callbacks go: the configured URL, or this server's own first address.</summary>
    public Uri CallbackUri()
    {
        if (options.CallbackUrl is { } configured)
        {
            return new Uri(configured);
        }
        var own = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no address yet; set Payments:Sandbox:CallbackUrl.");
        // A wildcard binding is reached on loopback from this same machine.
        var address = own.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal);
        return new Uri(new Uri(address), PaymentRoutes.Callback(SandboxProvider.ProviderName));
    }

    private async Task<bool> SendAsync(string body, CancellationToken ct)
    {
        var client = http.CreateClient(HttpClientName);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, CallbackUri()) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                // Signed at each attempt, as providers do: a retry is not a stale callback.
                request.Headers.TryAddWithoutValidation(SandboxProvider.SignatureHeader, Sign(body));
                using var response = await client.SendAsync(request, ct);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
                log.LogWarning("Sandbox callback attempt {Attempt} answered {Status}", attempt, (int)response.StatusCode);
                if ((int)response.StatusCode is >= 400 and < 500)
                {
                    return false;
                }
            }
            catch (HttpRequestException e)
            {
                log.LogWarning("Sandbox callback attempt {Attempt} failed: {Message}", attempt, e.Message);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
        }
        return false;
    }

    private (bool, string?, string?, string?) Card(SandboxPayment.Card card)
    {
        var (approved, reason, error) = TestCards.Decide(card.Number);
        if (error is not null)
        {
            return (false, null, error, null);
        }
        if (!ValidExpiry(card.Expiry))
        {
            return (false, null, "Enter the expiry as MM/YY, not in the past.", null);
        }
        if (card.Cvc?.Trim() is not { Length: 3 or 4 } cvc || !cvc.All(char.IsAsciiDigit))
        {
            return (false, null, "Enter the 3 or 4 digit security code.", null);
        }
        return (approved, reason, null, TestCards.Masked("card", card.Number));
    }

    private static (bool, string?, string?, string?) Mobile(SandboxPayment.Mobile mobile)
    {
        var (approved, reason, error) = TestCards.DecideMobile(mobile.Number);
        return (approved, reason, error, error is null ? TestCards.Masked("mobile", mobile.Number) : null);
    }

    private bool ValidExpiry(string? expiry)
    {
        var parts = (expiry ?? "").Trim().Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var month) || !int.TryParse(parts[1], out var year) || month is < 1 or > 12 || parts[1].Length != 2)
        {
            return false;
        }
        var today = clock.GetCurrentInstant().InUtc().Date;
        var lastDay = new LocalDate(2000 + year, month, 1).PlusMonths(1).PlusDays(-1);
        return lastDay >= today;
    }

    private async Task<PaymentSession?> LoadAsync(Guid sessionId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.PaymentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.Provider == SandboxProvider.ProviderName, ct);
    }
}
