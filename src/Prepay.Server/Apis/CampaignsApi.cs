using System.Text;
using Microsoft.EntityFrameworkCore;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Vending.Campaigns;

namespace Prepay.Server.Apis;

/// <summary>A reason for an action on a campaign or one of its meters, for the audit log.</summary>
public sealed record CampaignActionInput(string? Reason);

/// <summary>Key change campaigns: plan, watch, pause and resume, confirm keypad meters, re-issue what failed. Staff only.</summary>
public static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/key-change-campaigns").WithTags("Key change campaigns").RequireAuthorization(Policies.Staff);
        g.MapPost("/", Plan).Accepts<CampaignInput>("application/json").Produces<CampaignView>(StatusCodes.Status201Created)
            .WithSummary("Plan a key change (new key revision; optionally supply group, tariff index, base date) for a supply group, a site or a list of meters, from a start instant.");
        g.MapGet("/", List).Produces<IReadOnlyList<CampaignView>>().WithSummary("Campaigns, newest first, with their progress.");
        g.MapGet("/{id:guid}", Get).Produces<CampaignView>().WithSummary("A campaign's progress: meters by state, by site and by supply group.");
        g.MapGet("/{id:guid}/meters", Meters).Produces<IReadOnlyList<CampaignMeterView>>().WithSummary("Each meter of the campaign and where it stands; state filters.");
        g.MapGet("/{id:guid}/still-to-visit.csv", StillToVisit).Produces<string>(contentType: "text/csv").WithSummary("The meters not yet confirmed or delivered, as CSV for field agents.");
        g.MapPost("/{id:guid}/pause", (Guid id, HttpRequest r, PrepayDb db, KeyChangeCampaigns c, CancellationToken ct) => ActAsync(r, (input, actor) => c.PauseAsync(db, id, input.Reason, actor, ct), ct))
            .Accepts<CampaignActionInput>("application/json").WithSummary("Stop issuing key changes; meters already issued stay so.");
        g.MapPost("/{id:guid}/resume", (Guid id, HttpRequest r, PrepayDb db, KeyChangeCampaigns c, CancellationToken ct) => ActAsync(r, (input, actor) => c.ResumeAsync(db, id, input.Reason, actor, ct), ct))
            .Accepts<CampaignActionInput>("application/json").WithSummary("Issue key changes again.");
        g.MapPost("/{id:guid}/meters/{meterNumber}/confirm", (Guid id, string meterNumber, HttpRequest r, PrepayDb db, KeyChangeCampaigns c, CancellationToken ct) =>
                ActAsync(r, (input, actor) => c.ConfirmAsync(db, id, meterNumber, input.Reason, actor, ct), ct))
            .Accepts<CampaignActionInput>("application/json").WithSummary("Mark a meter seen holding its new key (a keypad meter's field visit), with a reason.");
        g.MapPost("/{id:guid}/meters/{meterNumber}/reissue", (Guid id, string meterNumber, HttpRequest r, PrepayDb db, KeyChangeCampaigns c, CancellationToken ct) =>
                ActAsync(r, (input, actor) => c.ReissueAsync(db, id, meterNumber, input.Reason, actor, ct), ct))
            .Accepts<CampaignActionInput>("application/json").WithSummary("Issue a meter's key change tokens again: a new delivery to a smart meter, the same tokens to hand over for a keypad meter.");
        return api;
    }

    private static async Task<IResult> Plan(HttpRequest request, PrepayDb db, KeyChangeCampaigns campaigns, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<CampaignInput>(request, ct);
        return error ?? Result(await campaigns.PlanAsync(db, body!, ApiKeyAuthentication.ActorOf(request.HttpContext.User).AuditName, ct));
    }

    private static async Task<IResult> List(PrepayDb db, CancellationToken ct)
    {
        var ids = await db.KeyChangeCampaigns.AsNoTracking().OrderByDescending(c => c.CreatedAt).Select(c => c.Id).Take(100).ToListAsync(ct);
        var views = new List<CampaignView>(ids.Count);
        foreach (var id in ids)
        {
            views.Add((await CampaignProgress.ReadAsync(db, id, ct))!);
        }
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> Get(Guid id, PrepayDb db, CancellationToken ct) =>
        await CampaignProgress.ReadAsync(db, id, ct) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"No campaign {id}.");

    private static async Task<IResult> Meters(Guid id, string? state, PrepayDb db, CancellationToken ct)
    {
        CampaignMeterState? filter = null;
        if (state is not null)
        {
            if (!Enum.TryParse<CampaignMeterState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return Problems.Invalid("state", "is planned, issued, delivered, confirmed or failed");
            }
            filter = parsed;
        }
        var campaign = await db.KeyChangeCampaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null)
        {
            return Problems.NotFound($"No campaign {id}.");
        }
        var meters = await CampaignProgress.MetersAsync(db, campaign, ct);
        return TypedResults.Ok(filter is { } f ? meters.Where(m => m.State == f).ToList() : meters);
    }

    private static async Task<IResult> StillToVisit(Guid id, PrepayDb db, CancellationToken ct)
    {
        var campaign = await db.KeyChangeCampaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null)
        {
            return Problems.NotFound($"No campaign {id}.");
        }
        var csv = CampaignCsv.StillToVisit(await CampaignProgress.MetersAsync(db, campaign, ct));
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"campaign-{id:N}-still-to-visit.csv");
    }

    private static async Task<IResult> ActAsync(HttpRequest request, Func<CampaignActionInput, string, Task<CampaignOutcome>> act, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<CampaignActionInput>(request, ct);
        return error ?? Result(await act(body!, ApiKeyAuthentication.ActorOf(request.HttpContext.User).AuditName));
    }

    private static IResult Result(CampaignOutcome outcome) => outcome switch
    {
        CampaignOutcome.Planned p => TypedResults.Created($"/api/v1/key-change-campaigns/{p.Campaign.Id}", p.Campaign),
        CampaignOutcome.Changed c => TypedResults.Ok(c.Campaign),
        CampaignOutcome.Reissued r => TypedResults.Ok(r),
        CampaignOutcome.Invalid i => Problems.Invalid(i.Errors),
        CampaignOutcome.NotFound n => Problems.NotFound(n.Detail),
        CampaignOutcome.Conflict c => Problems.Conflict(c.Code, c.Detail),
        _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
    };
}
