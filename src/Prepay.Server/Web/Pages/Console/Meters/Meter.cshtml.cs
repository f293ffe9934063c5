extern alias virtualmeters;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Disconnections.Gate;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records.Policies;
using Prepay.Vending.Approvals;
using virtualmeters::Prepay.Meter.Devices;

namespace Prepay.Server.Web.Pages.Operations.Meters;

/// <summary>
/// One meter: where it is and whose, its status, a chart of the last day's readings, its events and the commands sent
/// to it with their states, all refreshed by the page's script (<c>?handler=Live</c>). Operators send connect,
/// disconnect and read-now commands with a reason, audited as the API does; a disconnect passes the disconnection
/// policy (<see cref="OperatorCommands"/>), and the page lists every decision of the gate for the meter with its rule.
/// An administrator may ask to override a held or refused disconnection; a second one approves it under Approvals. Credit is
/// only ever sold: an administrator's "add credit" asks for goodwill credit, a vend from the goodwill float within its
/// monthly budget, made when a second administrator approves it (<c>Approvals/GoodwillCredits</c>).
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class MeterModel(PrepayDb db, IClock clock, OperatorCommands commands, DisconnectOverrides overrides, GoodwillCredits goodwill, VirtualMeterRegistry devices, OperatorZone zones,
    Prepay.CentralCredit.Comparison.BalanceComparisonQueries comparisons, Prepay.CentralCredit.Forecasts.MeterCreditForecasts forecasts) : PageModel
{
    /// <summary>The commands an operator may send from this page, with what the button says.</summary>
    public static readonly IReadOnlyList<(string Type, string Label, MeterCommand Command)> Commands =
    [
        (CommandTypes.Connect, "Connect", new Connect()),
        (CommandTypes.Disconnect, "Disconnect", new Disconnect()),
        (CommandTypes.ReadNow, "Read now", new ReadNow()),
    ];

    public const int MaxReasonLength = 500;

    public MeterPlacement Placement { get; private set; } = null!;

    public string? TariffCode { get; private set; }

    public MeterActivity Activity { get; private set; } = null!;

    public bool IsSimulated { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? CommandType { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    public bool IsAdmin => StaffActor.IsAdmin(User);

    /// <summary>The gate's decisions for this meter, newest first.</summary>
    public IReadOnlyList<DisconnectionDecisionRecord> Decisions { get; private set; } = [];

    public const int DecisionsShown = 20;

    /// <summary>The meter's last daily balance comparisons (meter's view against the server's), newest first.</summary>
    public IReadOnlyList<Prepay.CentralCredit.Comparison.BalanceComparisonView> Comparisons { get; private set; } = [];

    /// <summary>When the meter's own credit is expected to run out (by its usage by weekday and hour); null when it cannot be told.</summary>
    public Prepay.CentralCredit.Forecasts.MeterForecastView? Forecast { get; private set; }

    public const int ComparisonsShown = 7;

    [BindProperty]
    public Guid? DecisionId { get; set; }

    public async Task<IActionResult> OnGetAsync(string meterNumber, CancellationToken ct) => await LoadAsync(meterNumber, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetLiveAsync(string meterNumber, CancellationToken ct) =>
        await MeterActivity.ReadAsync(db, clock, await zones.ZoneAsync(db, ct), meterNumber, ct) is { } activity ? new JsonResult(activity) : NotFound();

    public async Task<IActionResult> OnPostCommandAsync(string meterNumber, CancellationToken ct)
    {
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        var command = Commands.FirstOrDefault(c => c.Type == CommandType);
        if (command.Type is null)
        {
            Error = "Choose connect, disconnect or read now.";
            return Page();
        }
        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length > MaxReasonLength)
        {
            Error = $"Give a reason (at most {MaxReasonLength} characters): it is kept in the audit log.";
            return Page();
        }
        var reason = Reason.Trim();
        switch (await commands.SendAsync(db, meterNumber, command.Command, reason, StaffActor.AuditName(User), CommandOrigin.Console, ct))
        {
            case OperatorCommands.Outcome.Queued:
                return RedirectToPage(new { meterNumber, sent = command.Type });
            case OperatorCommands.Outcome.Held h:
                Error = $"Not sent: the disconnection policy refuses it now ({h.Decision.Rule}). It is held and sent at {Format(h.Decision.RetryAt)} if the policy allows it then. {h.Decision.Sentence}";
                break;
            case OperatorCommands.Outcome.Refused r:
                Error = $"Not sent, and not retried: the disconnection policy refuses it ({r.Decision.Rule}); only an override approved by a second administrator sends it. {r.Decision.Sentence}";
                break;
            case OperatorCommands.Outcome.MeterNotFound:
                return NotFound();
            default:
                throw new InvalidOperationException("Unhandled command outcome.");
        }
        await LoadAsync(meterNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostOverrideAsync(string meterNumber, CancellationToken ct)
    {
        if (!StaffActor.IsAdmin(User))
        {
            return Forbid();
        }
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        if (DecisionId is not { } id || Decisions.All(d => d.Id != id))
        {
            Error = "Choose a held or refused disconnection of this meter.";
            return Page();
        }
        ShowRequest(await overrides.RequestAsync(id, Reason, StaffActor.Of(User), ct),
            _ => "Override asked; another administrator approves it under Approvals, and the disconnection is sent then.");
        return Page();
    }

    /// <summary>What asking for an approval came to, as the page's message or error.</summary>
    private void ShowRequest(ApprovalOutcome outcome, Func<ApprovalOutcome.Requested, string> requested)
    {
        switch (outcome)
        {
            case ApprovalOutcome.Requested r:
                Message = requested(r);
                break;
            case ApprovalOutcome.Invalid i:
                Error = $"{i.Field}: {i.Message}.";
                break;
            case ApprovalOutcome.Refused r:
                Error = r.Detail;
                break;
            case ApprovalOutcome.OverLimit o:
                Error = o.Detail;
                break;
            case ApprovalOutcome.NotFound n:
                Error = n.Detail;
                break;
            default:
                throw new InvalidOperationException($"Unhandled approval outcome {outcome}.");
        }
    }

    private string Format(Instant? at) => at is { } i ? i.InZone(Zone).ToString("yyyy-MM-dd HH:mm o<g>", System.Globalization.CultureInfo.InvariantCulture) : "—";

    /// <summary>The zone the page shows instants in (the operator's).</summary>
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    /// <summary>An instant of a decision as the page shows it.</summary>
    public string Show(Instant? at) => Format(at);

    public async Task<IActionResult> OnPostCreditAsync(string meterNumber, CancellationToken ct)
    {
        if (!StaffActor.IsAdmin(User))
        {
            return Forbid();
        }
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        ShowRequest(await goodwill.RequestAsync(meterNumber, Amount?.Trim(), Reason, StaffActor.Of(User), ct),
            r => $"Asked for {r.Approval.Currency} {r.Approval.Amount} of goodwill credit; another administrator approves it under Approvals, and the meter gets it then.");
        return Page();
    }

    private string NewKey() => "console-" + Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()).ToString("N");

    private async Task<bool> LoadAsync(string meterNumber, CancellationToken ct)
    {
        var placement = await MeterPlacements.Current(db).FirstOrDefaultAsync(p => p.Meter.MeterNumber == meterNumber, ct);
        if (placement is null)
        {
            return false;
        }
        Placement = placement;
        var now = clock.GetCurrentInstant();
        TariffCode = await db.TariffAssignments.AsNoTracking().Where(a => a.MeterId == placement.Meter.Id && a.EffectiveFrom <= now)
            .OrderByDescending(a => a.EffectiveFrom).Select(a => a.TariffCode).FirstOrDefaultAsync(ct);
        Zone = await zones.ZoneAsync(db, ct);
        Activity = (await MeterActivity.ReadAsync(db, clock, Zone, meterNumber, ct))!;
        Decisions = await DisconnectionDecisions.ForMeterAsync(db, meterNumber, DecisionsShown, ct) ?? [];
        Comparisons = await comparisons.ForMeterAsync(meterNumber, ComparisonsShown, ct);
        Forecast = await forecasts.ForecastAsync(meterNumber, ct) is Prepay.CentralCredit.Forecasts.ForecastOutcome.Found found ? found.Forecast : null;
        IsSimulated = devices.Find(meterNumber) is not null;
        IdempotencyKey ??= NewKey();
        if (Request.Query["sent"] is { Count: 1 } sent && Commands.FirstOrDefault(c => c.Type == sent[0]).Label is { } label)
        {
            Message = $"{label} queued; its state below changes when the meter answers.";
        }
        return true;
    }
}
