using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Portal;
using Prepay.Statements.Days;
using Prepay.Statements.Digests;
using Prepay.Statements.Disputes;
using Prepay.Storage.Records.Statements;

namespace Prepay.Server.Web.Pages.Portal;

/// <summary>
/// One of the customer's meters day by day: a chart and a table of each day's lines, a form to dispute a line, the
/// disputes with staff's answers, and the digest by email or SMS. Another customer's meter is not found (404).
/// </summary>
[Authorize(Policy = PortalSetup.CustomerPolicy)]
public sealed class PortalStatementModel(IClock clock, CustomerStatements statements, StatementDisputes disputes, DigestSubscriptions digests) : PageModel
{
    /// <summary>Days shown when the address names none: the week to today.</summary>
    public const int DefaultDays = 7;

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    public MeterStatement Meter { get; private set; } = null!;

    public string ChartJson { get; private set; } = "{}";

    public IReadOnlyList<DisputeView> Disputes { get; private set; } = [];

    public DigestFrequency? Digest { get; private set; }

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    public string Show(long? minor) => minor is { } m ? new Money(m, Currency.FromCode(Meter.Currency)).ToDecimalString() : "not known";

    public async Task<IActionResult> OnGetAsync(string meterNumber, CancellationToken ct) =>
        await LoadAsync(meterNumber, ct) ? Page() : NotFound();

    /// <summary>The same days as CSV, the same figures as the API's.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string meterNumber, CancellationToken ct)
    {
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        var csv = StatementCsv.Write(new CustomerStatement(CustomerId, default, default, [Meter]));
        return File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"statement-{Meter.MeterNumber}.csv");
    }

    public async Task<IActionResult> OnPostDisputeAsync(string meterNumber, string? day, string? line, string? text, CancellationToken ct)
    {
        if (day is null || !LocalDatePattern.Iso.Parse(day).TryGetValue(default, out var date))
        {
            Error = "Choose the day you dispute.";
        }
        else
        {
            switch (await disputes.RaiseAsync(new DisputeRequest(CustomerId, meterNumber, date, line, text, "customer:" + (User.Identity?.Name ?? "?")), ct))
            {
                case DisputeOutcome.Raised:
                    Message = "Thank you: we have your dispute and will answer it here.";
                    break;
                case DisputeOutcome.NotFound:
                    return NotFound();
                case DisputeOutcome.Invalid i:
                    Error = i.Field == "text" ? "Please say what is wrong with the line." : $"{i.Field}: {i.Message}";
                    break;
                case var other:
                    throw new InvalidOperationException($"Unhandled outcome {other}");
            }
        }
        return await LoadAsync(meterNumber, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDigestAsync(string meterNumber, string? frequency, CancellationToken ct)
    {
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        if (!DigestFrequencies.TryParse(frequency, out var chosen))
        {
            Error = "Choose daily, weekly or none.";
            return Page();
        }
        await digests.SetAsync(CustomerId, chosen, "customer:" + (User.Identity?.Name ?? "?"), ct);
        Digest = chosen;
        Message = chosen is null ? "You will get no statement digest." : $"You will get a {DigestFrequencies.Name(chosen)} digest by your alert channels.";
        return Page();
    }

    private Guid CustomerId => PersonActor.CustomerIdOf(User)!.Value;

    private async Task<bool> LoadAsync(string meterNumber, CancellationToken ct)
    {
        var today = clock.GetCurrentInstant().InUtc().Date;
        var to = Parse(To) ?? today;
        var from = Parse(From) ?? to.PlusDays(1 - DefaultDays);
        switch (await statements.ReadAsync(new StatementRequest(CustomerId, from, to, meterNumber), ct))
        {
            case StatementOutcome.Found found:
                Meter = found.Statement.Meters.Single();
                break;
            case StatementOutcome.MeterNotFound or StatementOutcome.CustomerNotFound:
                return false;
            case StatementOutcome.RangeTooLong r:
                Error = $"A statement covers at most {r.MaxDays} days: here is the last week instead.";
                From = To = null;
                return await LoadAsync(meterNumber, ct);
            case StatementOutcome.RangeReversed:
                Error = "The first day must not be after the last: here is the last week instead.";
                From = To = null;
                return await LoadAsync(meterNumber, ct);
            case var other:
                throw new InvalidOperationException($"Unhandled outcome {other}");
        }
        ChartJson = StatementChart.For(Meter);
        Disputes = await disputes.ForCustomerAsync(CustomerId, Meter.MeterNumber, ct);
        Digest = await digests.GetAsync(CustomerId, ct);
        return true;
    }

    private static LocalDate? Parse(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text).TryGetValue(default, out var date) ? date : null;
}
