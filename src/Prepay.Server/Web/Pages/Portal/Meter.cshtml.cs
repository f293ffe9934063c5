using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Portal;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;
using Prepay.Vending.Pricing;

namespace Prepay.Server.Web.Pages.Portal;

/// <summary>A line of the customer's token history.</summary>
public sealed record TokenLine(Guid VendId, Instant At, string Amount, string Currency, string EnergyKwh, string? Token, string Channel, bool Reversed);

/// <summary>An online payment the customer started, with where it stands.</summary>
public sealed record PaymentLine(Guid Id, Instant At, string Amount, string Currency, PaymentStatus Status, string ResultAddress);

/// <summary>
/// One of the customer's meters: status, top-up through the payment provider, usage charts, the tariff in words
/// with a quote preview, token history with reprints and the customer's online payments. A meter that is not the
/// customer's is not found (404), whatever number is typed into the address.
/// </summary>
[Authorize(Policy = PortalSetup.CustomerPolicy)]
public sealed class PortalMeterModel(PrepayDb db, IClock clock, TariffCatalog tariffs, PortalQuotes quotes, PaymentProviders providers, CheckoutService checkout,
    Prepay.CentralCredit.Balances.CentralCreditStatements centralCredit, Prepay.CentralCredit.Forecasts.MeterCreditForecasts forecasts)
    : PageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? QuoteAmount { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    public CustomerMeter Meter { get; private set; } = null!;

    /// <summary>The meter with how long its credit lasts, for the facts at the top.</summary>
    public MeterFacts Facts { get; private set; } = null!;

    public Instant Now { get; private set; }

    public Usage Usage { get; private set; } = null!;

    public string UsageJson { get; private set; } = "{}";

    public TariffExplanation? Tariff { get; private set; }

    public PortalQuote? Quote { get; private set; }

    public IReadOnlyList<TokenLine> Tokens { get; private set; } = [];

    /// <summary>The balance held for this meter on the server, when its credit is held centrally; else null.</summary>
    public Prepay.CentralCredit.Balances.CentralCreditStatement? CentralBalance { get; private set; }

    /// <summary>An amount of the central statement in its currency, as the page shows money.</summary>
    public string ShowMoney(long minor) => new Money(minor, Currency.FromCode(CentralBalance!.Currency)).ToDecimalString();

    /// <summary>What the disconnection policy decided about this customer's supply in this tenancy, newest first.</summary>
    public IReadOnlyList<Storage.Records.Policies.DisconnectionDecisionRecord> SupplyDecisions { get; private set; } = [];

    public IReadOnlyList<PaymentLine> Payments { get; private set; } = [];

    public string? PaymentProvider => providers.Default?.DisplayName;

    public string? Error { get; private set; }

    public string? QuoteError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string meterNumber, CancellationToken ct) =>
        await LoadAsync(meterNumber, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostQuoteAsync(string meterNumber, CancellationToken ct)
    {
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        (Quote, QuoteError) = await quotes.QuoteAsync(db, Meter, CustomerId, QuoteAmount, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTopUpAsync(string meterNumber, CancellationToken ct)
    {
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        var outcome = await checkout.StartAsync(
            new CheckoutRequest(IdempotencyKey, Meter.MeterNumber, Amount, PaymentOrigins.Portal, CustomerId, "customer:" + (User.Identity?.Name ?? "?")), ct);
        switch (outcome)
        {
            case CheckoutOutcome.Started started:
                return Redirect(started.CheckoutAddress);
            case CheckoutOutcome.Refused refused:
                Error = refused.Message;
                IdempotencyKey = NewKey();
                return Page();
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome}");
        }
    }

    private Guid CustomerId => PersonActor.CustomerIdOf(User)!.Value;

    private async Task<bool> LoadAsync(string meterNumber, CancellationToken ct)
    {
        Now = clock.GetCurrentInstant();
        var meter = await CustomerMeters.FindAsync(db, CustomerId, meterNumber, Now, ct);
        if (meter is null)
        {
            return false;
        }
        Meter = meter;
        Facts = new MeterFacts(meter, await forecasts.ForecastAsync(meter.MeterNumber, ct));
        var tariff = await tariffs.ForMeterAsync(db, meter.MeterId, Now, ct);
        Tariff = tariff is null ? null : TariffExplainer.Explain(tariff, Now);
        Usage = await UsageSeries.ForMeterAsync(db, meter.MeterId, meter.Since, tariff, Now, ct);
        UsageJson = JsonSerializer.Serialize(new
        {
            zone = Usage.Zone,
            daily = Usage.Daily.Select(b => new { label = b.Label, kwh = b.Kwh }),
            hourly = Usage.Hourly.Select(b => new { label = b.Label, kwh = b.Kwh }),
            timeOfUse = Usage.TimeOfUse?.Select(b => new { label = b.Label, kwh = b.Kwh }),
        }, Json);

        var customerId = CustomerId;
        // Only this customer's purchases in this tenancy: a meter's earlier tenant bought their own tokens (and a
        // customer who lived here before, left and came back sees the new tenancy only).
        var since = meter.Since ?? Instant.MinValue;
        SupplyDecisions = await Prepay.Disconnections.Gate.DisconnectionDecisions.ForCustomerAsync(db, meter.MeterId, since, 5, ct);
        CentralBalance = await centralCredit.ReadAsync(meter.MeterNumber, ct) is Prepay.CentralCredit.Balances.StatementOutcome.Found { Statement.Model: "central" } found
            ? found.Statement
            : null;
        var vends = await db.Vends.AsNoTracking().Where(v => v.MeterId == meter.MeterId && v.CustomerId == customerId && v.At >= since)
            .OrderByDescending(v => v.At).Take(20)
            .Select(v => new { v.Id, v.At, v.AmountMinor, v.Currency, v.EnergyWh, v.Token, v.Channel, Reversed = db.VendReversals.Any(r => r.VendId == v.Id) })
            .ToListAsync(ct);
        Tokens = vends.Select(v => new TokenLine(v.Id, v.At, new Money(v.AmountMinor, Currency.FromCode(v.Currency)).ToDecimalString(), v.Currency,
            new Energy(v.EnergyWh).ToKilowattHoursString(), v.Token, v.Channel, v.Reversed)).ToList();
        if (Tokens.Any(t => t.Token is not null))
        {
            // The history shows tokens: who looked, and at which of this meter's vends, is audited like a reprint.
            await PeopleAudit.RecordAsync(db, clock, "customer:" + (User.Identity?.Name ?? "?"), AuditActions.TokenRead, $"meter/{meter.MeterNumber}",
                "portal history: vends " + string.Join(", ", Tokens.Where(t => t.Token is not null).Select(t => t.VendId)), ct);
        }
        var sessions = await db.PaymentSessions.AsNoTracking().Where(s => s.MeterId == meter.MeterId && s.PayerCustomerId == customerId && s.CreatedAt >= since)
            .OrderByDescending(s => s.CreatedAt).Take(10).ToListAsync(ct);
        Payments = sessions.Select(s => new PaymentLine(s.Id, s.CreatedAt, new Money(s.AmountMinor, Currency.FromCode(s.Currency)).ToDecimalString(), s.Currency,
            s.Status, PaymentResults.Address(s))).ToList();
        IdempotencyKey ??= NewKey();
        return true;
    }

    private string NewKey() => "portal-" + Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()).ToString("N");
}
