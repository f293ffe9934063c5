using NodaTime;
using NodaTime.Text;
using Prepay.CentralCredit.Balances;
using Prepay.CentralCredit.Comparison;
using Prepay.CentralCredit.Models;
using Prepay.Server.Auth;
using Prepay.Server.Http;

namespace Prepay.Server.Apis;

/// <summary>The body of a credit model switch.</summary>
public sealed record CreditModelInput(string? Model, string? EffectiveFrom, string? Reason);

/// <summary>
/// A switch made: the model from its date. To central, nothing is carried in until the meter hands its register over
/// (then shown by <c>GET …/central-credit</c>); back to the meter, the central balance sold to it as credit.
/// </summary>
public sealed record CreditModelDto(string MeterNumber, string Model, Instant EffectiveFrom, long CarriedOutMinor, long CarriedOutWh, string Currency);

/// <summary>Central credit (Prepay.CentralCredit): a meter's central balance, and an admin's switch of its credit model.</summary>
public static class CentralCreditApi
{
    public static RouteGroupBuilder MapCentralCreditApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/meters/{meterNumber}").WithTags("Central credit");
        g.MapGet("/central-credit", Read).RequireAuthorization(Policies.Staff)
            .WithSummary("The meter's central balance, today's deductions in the tariff's zone, and the days it lasts at the last 7 days' average.");
        g.MapGet("/forecast", Forecast).RequireAuthorization(Policies.Staff)
            .WithSummary("When the meter's own credit is expected to run out: from its last reported credit and its usage by weekday and hour over the last four weeks (the flat average beside it).");
        g.MapPut("/credit-model", Switch).RequireAuthorization(Policies.Admin).Accepts<CreditModelInput>("application/json")
            .WithSummary("Hold the meter's credit in the meter or centrally from a date, with a reason; to central, the meter hands its register over at its next reading boundary and it is carried in then; back to the meter, the central balance is sold to it as credit.");
        api.MapGet("/balance-comparisons", Comparisons).WithTags("Central credit").RequireAuthorization(Policies.Staff)
            .WithSummary("The daily comparisons of meters' and the server's view of their balance for a local date (yyyy-MM-dd), by meter number; differencesOnly=true for the differences reported.");
        return api;
    }

    private static async Task<IResult> Comparisons(string? date, bool? differencesOnly, BalanceComparisonQueries queries, CancellationToken ct) =>
        await queries.ForDayAsync(date, differencesOnly ?? false, ct) switch
        {
            ComparisonListOutcome.Listed l => TypedResults.Ok(l.Comparisons),
            ComparisonListOutcome.InvalidDate => Problems.Invalid("date", "must be a date such as 2026-11-23 (yyyy-MM-dd)"),
            var other => throw new InvalidOperationException(other.ToString()),
        };

    private static async Task<IResult> Forecast(string meterNumber, CentralCredit.Forecasts.MeterCreditForecasts forecasts, CancellationToken ct) =>
        await forecasts.ForecastAsync(meterNumber, ct) switch
        {
            CentralCredit.Forecasts.ForecastOutcome.Found f => TypedResults.Ok(f.Forecast),
            CentralCredit.Forecasts.ForecastOutcome.MeterNotFound => Problems.NotFound($"No meter '{meterNumber}'."),
            CentralCredit.Forecasts.ForecastOutcome.Central => Problems.Conflict("central-credit", $"Meter '{meterNumber}' holds its credit centrally: GET /meters/{meterNumber}/central-credit says how long it lasts."),
            CentralCredit.Forecasts.ForecastOutcome.NoCredit => Problems.Conflict("no-credit-reported", $"Meter '{meterNumber}' has reported no reading in the last four weeks."),
            var other => throw new InvalidOperationException(other.ToString()),
        };

    private static async Task<IResult> Read(string meterNumber, CentralCreditStatements statements, CancellationToken ct) =>
        await statements.ReadAsync(meterNumber, ct) switch
        {
            StatementOutcome.Found f => TypedResults.Ok(f.Statement),
            StatementOutcome.MeterNotFound => Problems.NotFound($"No meter '{meterNumber}'."),
            StatementOutcome.NotCentral => Problems.Conflict("not-central-credit", $"Meter '{meterNumber}' has never held its credit centrally."),
            StatementOutcome.NoTariff => Problems.Unprocessable("no-tariff", $"Meter '{meterNumber}' has no tariff in effect."),
            var other => throw new InvalidOperationException(other.ToString()),
        };

    private static async Task<IResult> Switch(string meterNumber, HttpContext http, CreditModelSwitch switches, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<CreditModelInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        if (!CreditModelText.TryParse(input!.Model, out var model))
        {
            errors["model"] = ["must be 'meter' or 'central'"];
        }
        var effectiveFrom = clock.GetCurrentInstant();
        if (input.EffectiveFrom is not null && !InstantPattern.ExtendedIso.Parse(input.EffectiveFrom).TryGetValue(default, out effectiveFrom))
        {
            errors["effectiveFrom"] = ["must be an instant such as 2026-11-23T08:00:00Z"];
        }
        if (string.IsNullOrWhiteSpace(input.Reason))
        {
            errors["reason"] = ["is required"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var outcome = await switches.SwitchAsync(new CreditModelChange(meterNumber, model, effectiveFrom, input.Reason!), ApiKeyAuthentication.ActorOf(http.User), ct);
        return outcome switch
        {
            CreditModelSwitchOutcome.Switched s => TypedResults.Ok(new CreditModelDto(s.MeterNumber, CreditModelText.Stored(s.Model), s.EffectiveFrom, s.CarriedOutMinor, s.CarriedOutWh, s.Currency)),
            CreditModelSwitchOutcome.Unchanged u => TypedResults.Ok(new CreditModelDto(u.MeterNumber, CreditModelText.Stored(u.Model), effectiveFrom, 0, 0, "")),
            CreditModelSwitchOutcome.NoCentralMode n => Problems.Unprocessable("no-central-mode", $"Meter '{meterNumber}' cannot hold its credit centrally: {n.Why}."),
            CreditModelSwitchOutcome.MeterNotFound => Problems.NotFound($"No meter '{meterNumber}'."),
            CreditModelSwitchOutcome.NotAfterLatest n => Problems.Conflict("credit-model-not-after-latest", $"The meter's latest switch is dated {n.Latest}; a new one must come after it."),
            CreditModelSwitchOutcome.NoTariff => Problems.Unprocessable("no-tariff", $"Meter '{meterNumber}' has no tariff in effect at the switch."),
            CreditModelSwitchOutcome.Invalid i => Problems.Invalid(i.Field, i.Reason),
            _ => throw new InvalidOperationException(outcome.ToString()),
        };
    }
}
