using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;
using Prepay.Vending.Pricing;
using Prepay.Vending.Vends;

namespace Prepay.Server.Apis.Catalog;

public sealed record TariffSummary(string Code, int Version, string Name, LocalDate EffectiveFrom, string Currency);

public sealed record QuoteInput(string? Amount, Instant? At, long? MonthKwh, long? ResolutionWh);

/// <summary>
/// Tariffs are versioned documents: POST a new version (higher than the last), never edit one. The body is the
/// tariff document itself (see Prepay.Tariffs' README).
/// </summary>
public static class TariffsApi
{
    public static void MapTariffsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/tariffs").WithTags("Tariffs");
        g.MapGet("/", List).RequireAuthorization(Policies.Anyone);
        g.MapGet("/{code}", Versions).RequireAuthorization(Policies.Anyone);
        g.MapGet("/{code}/versions/{version:int}", Document).RequireAuthorization(Policies.Anyone);
        g.MapPost("/", Publish).RequireAuthorization(Policies.Staff).Accepts<object>("application/json").WithSummary("Publish a tariff document (a new version).");
        g.MapPost("/{code}/quote", Quote).RequireAuthorization(Policies.Anyone).Accepts<QuoteInput>("application/json")
            .WithSummary("What an amount buys under the tariff in effect, with the full breakdown. Nothing is written.");
    }

    private static async Task<IResult> List(PrepayDb db, CancellationToken ct)
    {
        var rows = await db.Tariffs.AsNoTracking().OrderBy(t => t.Code).ThenBy(t => t.Version).ToListAsync(ct);
        return TypedResults.Ok(rows.GroupBy(t => t.Code).Select(g => g.Last()).Select(Summary).ToList());
    }

    private static async Task<IResult> Versions(string code, PrepayDb db, CancellationToken ct)
    {
        var rows = await db.Tariffs.AsNoTracking().Where(t => t.Code == code).OrderBy(t => t.Version).ToListAsync(ct);
        return rows.Count == 0 ? Problems.NotFound($"No tariff '{code}'.") : TypedResults.Ok(rows.Select(Summary).ToList());
    }

    private static async Task<IResult> Document(string code, int version, PrepayDb db, CancellationToken ct) =>
        await db.Tariffs.AsNoTracking().FirstOrDefaultAsync(t => t.Code == code && t.Version == version, ct) is { } t
            ? TypedResults.Text(t.Document, "application/json", Encoding.UTF8)
            : Problems.NotFound($"No version {version} of tariff '{code}'.");

    private static TariffSummary Summary(TariffVersion t)
    {
        var doc = TariffDocumentJson.Parse(t.Document);
        return new TariffSummary(t.Code, t.Version, doc.Name, t.EffectiveFrom, t.Currency);
    }

    private static async Task<IResult> Publish(HttpContext http, PrepayDb db, IClock clock, TariffCatalog catalog, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the tariff document as application/json.");
        }
        string text;
        try
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            text = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Body too large", "The tariff document is larger than this server accepts.");
        }
        return await TariffPublication.PublishAsync(db, clock, catalog, text, ApiKeyAuthentication.ActorOf(http.User).AuditName, ct) switch
        {
            TariffPublication.Outcome.Published p => (IResult)TypedResults.Created($"/api/v1/tariffs/{p.Tariff.Code}/versions/{p.Tariff.Version}", p.Tariff),
            TariffPublication.Outcome.Invalid i => Problems.Invalid(i.Field, i.Message),
            TariffPublication.Outcome.VersionExists v => Problems.Conflict("version-exists", v.Detail),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
    }

    private static async Task<IResult> Quote(string code, HttpContext http, PrepayDb db, IClock clock, TariffCatalog tariffs, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<QuoteInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var at = input!.At ?? clock.GetCurrentInstant();
        var tariff = await tariffs.EffectiveAsync(db, code, at, ct);
        if (tariff is null)
        {
            return Problems.NotFound($"No tariff '{code}' in effect at {at}.");
        }
        var amount = Money.TryParse(input.Amount, tariff.Currency);
        if (!amount.Success || !amount.Value.IsPositive)
        {
            return Problems.Invalid("amount", amount.Success ? "must be greater than zero" : amount.Error!);
        }
        if (input.MonthKwh is < 0 or > 1_000_000)
        {
            return Problems.Invalid("monthKwh", "must be 0 to 1000000");
        }
        if (input.ResolutionWh is < 1 or > 10_000)
        {
            return Problems.Invalid("resolutionWh", "must be 1 to 10000");
        }
        var context = PurchaseContext.Fresh(tariff.Currency, input.ResolutionWh ?? PurchaseContext.StsResolutionWh) with
        {
            EnergyBoughtThisMonth = Energy.FromKilowattHours(input.MonthKwh ?? 0),
        };
        return TypedResults.Ok(QuoteView.From(TariffEngine.Quote(tariff, amount.Value, at, context)));
    }
}

/// <summary>A quote as JSON: money as decimal strings.</summary>
public sealed record QuoteView(string TariffCode, int TariffVersion, string Gross, string Tax, IReadOnlyList<object> Taxes, string FixedCharges,
    string DebtRecovered, string NetForEnergy, string EnergyCost, long EnergyWh, string EnergyKwh, string CarriedOut, IReadOnlyList<object> Lines, bool IsEstimate)
{
    public static QuoteView From(PurchaseQuote q) => new(q.TariffCode, q.TariffVersion, q.Gross.ToDecimalString(), q.TaxTotal.ToDecimalString(),
        q.Tax.Select(t => (object)new { t.Name, amount = t.Amount.ToDecimalString(), t.Inclusive }).ToList(),
        q.FixedCharges.ToDecimalString(), q.DebtRecovered.ToDecimalString(), q.NetForEnergy.ToDecimalString(), q.EnergyCost.ToDecimalString(),
        q.Energy.WattHours, q.Energy.ToKilowattHoursString(), q.CarriedOut.ToDecimalString(),
        q.Lines.Select(l => (object)new { label = l.Label, energyWh = l.Energy.WattHours, ratePerKwh = l.Rate.ToMajorString(q.Gross.Currency), cost = l.Cost.ToDecimalString() }).ToList(),
        q.IsEstimate);
}
