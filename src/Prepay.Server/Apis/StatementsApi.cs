using NodaTime;
using NodaTime.Text;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Statements.Days;
using Prepay.Statements.Digests;
using Prepay.Statements.Disputes;
using Prepay.Storage.Records.Statements;

namespace Prepay.Server.Apis;

/// <summary>The body of a disputed line: the meter, the local day, the line's kind and the customer's words.</summary>
public sealed record DisputeInput(string? MeterNumber, string? Day, string? Line, string? Text);

/// <summary>Staff's answer: <c>resolved</c> or <c>rejected</c>, with the words the customer will read.</summary>
public sealed record DisputeAnswerInput(string? Decision, string? Answer);

/// <summary>A customer's digest: <c>daily</c>, <c>weekly</c> or <c>none</c>.</summary>
public sealed record DigestInput(string? Frequency);

public sealed record DigestDto(Guid CustomerId, string Frequency);

/// <summary>
/// Statements (Prepay.Statements): a customer's days as JSON or CSV, the lines they dispute with staff's answers, and
/// their digest. Staff only: customers read theirs on the portal.
/// </summary>
public static class StatementsApi
{
    public static RouteGroupBuilder MapStatementsApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers/{id:guid}").WithTags("Statements").RequireAuthorization(Policies.Staff);
        customers.MapGet("/statements", Read)
            .WithSummary("The customer's meters day by day (from, to: local dates, both included, at most Statements:MaxDays): energy by period, fixed charges, taxes, debt, top-ups, balances. JSON, or CSV with Accept: text/csv or format=csv.");
        customers.MapPost("/statements/disputes", Raise).Accepts<DisputeInput>("application/json")
            .WithSummary("Record a line of the customer's statement they dispute, for them; audited.");
        customers.MapGet("/statement-digest", Digest);
        customers.MapPut("/statement-digest", SetDigest).Accepts<DigestInput>("application/json")
            .WithSummary("The customer's statement digest by their alert channels: daily, weekly or none; audited.");

        var disputes = api.MapGroup("/disputes").WithTags("Statements").RequireAuthorization(Policies.Staff);
        disputes.MapGet("/", List).WithSummary("Disputed statement lines: the open ones, oldest first (state=all: every one, newest first).");
        disputes.MapPost("/{id:guid}/answer", Answer).Accepts<DisputeAnswerInput>("application/json")
            .WithSummary("Answer an open dispute once: resolved or rejected, with words for the customer; audited. 409 when answered already.");
        return api;
    }

    private static async Task<IResult> Read(Guid id, string? from, string? to, string? format, HttpContext http, CustomerStatements statements, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fromDate = Date(from, "from", errors);
        var toDate = Date(to, "to", errors);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            errors["format"] = ["must be 'json' or 'csv'"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        return await statements.ReadAsync(new StatementRequest(id, fromDate, toDate), ct) switch
        {
            StatementOutcome.Found f when csv => TypedResults.Text(StatementCsv.Write(f.Statement), "text/csv; charset=utf-8"),
            StatementOutcome.Found f => TypedResults.Ok(f.Statement),
            StatementOutcome.CustomerNotFound => Problems.NotFound($"No customer {id}."),
            StatementOutcome.RangeReversed => Problems.Invalid("to", "must not be before 'from'"),
            StatementOutcome.RangeTooLong r => Problems.Invalid("to", $"the range is {r.Days} days; a statement covers at most {r.MaxDays}"),
            var other => throw new InvalidOperationException(other.ToString()),
        };
    }

    private static async Task<IResult> Raise(Guid id, HttpContext http, StatementDisputes disputes, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<DisputeInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        var day = Date(input!.Day, "day", errors);
        if (string.IsNullOrWhiteSpace(input.MeterNumber))
        {
            errors["meterNumber"] = ["is required"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var outcome = await disputes.RaiseAsync(new DisputeRequest(id, input.MeterNumber!, day, input.Line, input.Text, ApiKeyAuthentication.ActorOf(http.User).AuditName), ct);
        return Render(outcome);
    }

    private static async Task<IResult> List(string? state, StatementDisputes disputes, CancellationToken ct)
    {
        if (state is not null and not "open" and not "all")
        {
            return Problems.Invalid("state", "must be 'open' or 'all'");
        }
        return TypedResults.Ok(await disputes.ListAsync(openOnly: state != "all", 500, ct));
    }

    private static async Task<IResult> Answer(Guid id, HttpContext http, StatementDisputes disputes, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<DisputeAnswerInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        if (input!.Decision is not ("resolved" or "rejected"))
        {
            return Problems.Invalid("decision", "must be 'resolved' or 'rejected'");
        }
        var decision = input.Decision == "resolved" ? DisputeState.Resolved : DisputeState.Rejected;
        return Render(await disputes.AnswerAsync(new DisputeAnswer(id, decision, input.Answer, ApiKeyAuthentication.ActorOf(http.User).AuditName), ct));
    }

    private static async Task<IResult> Digest(Guid id, DigestSubscriptions digests, CancellationToken ct) =>
        TypedResults.Ok(new DigestDto(id, DigestFrequencies.Name(await digests.GetAsync(id, ct))));

    private static async Task<IResult> SetDigest(Guid id, HttpContext http, DigestSubscriptions digests, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<DigestInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        if (!DigestFrequencies.TryParse(input!.Frequency, out var frequency))
        {
            return Problems.Invalid("frequency", "must be 'daily', 'weekly' or 'none'");
        }
        return await digests.SetAsync(id, frequency, ApiKeyAuthentication.ActorOf(http.User).AuditName, ct) switch
        {
            DigestOutcome.Set => TypedResults.Ok(new DigestDto(id, DigestFrequencies.Name(frequency))),
            DigestOutcome.CustomerNotFound => Problems.NotFound($"No customer {id}."),
            var other => throw new InvalidOperationException(other.ToString()),
        };
    }

    private static IResult Render(DisputeOutcome outcome) => outcome switch
    {
        DisputeOutcome.Raised r => TypedResults.Created($"/api/v1/disputes/{r.Dispute.Id}", r.Dispute),
        DisputeOutcome.Answered a => TypedResults.Ok(a.Dispute),
        DisputeOutcome.AlreadyAnswered a => Problems.Conflict("dispute-answered", $"{a.Dispute.AnsweredBy} answered this dispute already ({a.Dispute.State})."),
        DisputeOutcome.NotFound n => Problems.NotFound(n.What),
        DisputeOutcome.Invalid i => Problems.Invalid(i.Field, i.Message),
        _ => throw new InvalidOperationException(outcome.ToString()),
    };

    private static LocalDate Date(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is not null && LocalDatePattern.Iso.Parse(text).TryGetValue(default, out var date))
        {
            return date;
        }
        errors[field] = [text is null ? "is required (YYYY-MM-DD)" : "must be a date such as 2026-12-01"];
        return default;
    }
}
