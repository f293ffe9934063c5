using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Campaigns;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Campaigns;

/// <summary>
/// Key change campaigns (IEC 62055-41 §6.3.4): many meters moved to a new key, as utilities did for the 2024 TID
/// roll-over. Planning records, for each meter, the key change as a pending order with the campaign's start
/// (<see cref="Meter.KeyChangeNotBefore"/>), so a keypad meter's next vend from then on carries the key change
/// tokens first, as any order does (<see cref="TokenReservations"/>); smart meters get theirs by command
/// (<see cref="CampaignDeliveries"/>). Every action is audited in its own transaction.
/// </summary>
public sealed class KeyChangeCampaigns(IClock clock, ITokenGenerator tokens, CommandDispatcher dispatcher)
{
    public const int MaxMeters = 100_000;
    private const int MaxNameLength = 100;
    private const int MaxReasonLength = 500;

    public async Task<CampaignOutcome> PlanAsync(PrepayDb db, CampaignInput input, string actor, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return new CampaignOutcome.Invalid(errors);
        }

        var meters = await ScopeAsync(db, input, ct);
        if (meters.Count == 0)
        {
            return new CampaignOutcome.Invalid(new Dictionary<string, string[]> { ["meters"] = ["name no meter that takes STS tokens"] });
        }
        if (meters.Count > MaxMeters)
        {
            return new CampaignOutcome.Invalid(new Dictionary<string, string[]> { ["meters"] = [$"name {meters.Count} meters; a campaign has at most {MaxMeters}"] });
        }

        // Every meter must be able to take this key change now, or none is planned: the operator fixes the list.
        var refusals = new List<string>();
        foreach (var (meter, _) in meters)
        {
            var problem = tokens.CannotIssueFor(meter)
                ?? (meter.KeyRevisionNumber == input.ToKeyRevisionNumber ? $"meter {meter.MeterNumber} already has key revision {meter.KeyRevisionNumber}" : null)
                ?? (meter.KeyChangeCampaignId is not null ? $"meter {meter.MeterNumber} is in another campaign" : null)
                ?? (meter.KeyChangeToRevision is not null || meter.KeyChangeToBaseDate is not null ? $"meter {meter.MeterNumber} has a key change ordered already" : null)
                ?? BaseDateProblem(meter, input.ToBaseDate);
            if (problem is not null && refusals.Count < 20)
            {
                refusals.Add(problem);
            }
        }
        if (refusals.Count > 0)
        {
            return new CampaignOutcome.Conflict("meters-not-ready", string.Join("; ", refusals));
        }

        var campaign = new KeyChangeCampaignRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Name = input.Name!.Trim(),
            Scope = ScopeText(input, meters.Count),
            Reason = input.Reason!.Trim(),
            ToKeyRevisionNumber = input.ToKeyRevisionNumber!.Value,
            ToSupplyGroupCode = input.ToSupplyGroupCode,
            ToTariffIndex = input.ToTariffIndex,
            ToBaseDate = input.ToBaseDate is { } b ? (StsBaseDate)b : null,
            StartsAt = input.StartsAt ?? now,
            State = CampaignState.Active,
            CreatedBy = actor,
            CreatedAt = now,
        };
        await using var tx = await db.BeginWriteAsync(ct);
        db.KeyChangeCampaigns.Add(campaign);
        db.KeyChangeCampaignMeters.AddRange(meters.Select(x => new KeyChangeCampaignMeterRecord
        {
            CampaignId = campaign.Id,
            MeterId = x.Meter.Id,
            MeterNumber = x.Meter.MeterNumber,
            SiteCode = x.Site,
            FromSupplyGroupCode = x.Meter.SupplyGroupCode,
            FromKeyRevisionNumber = x.Meter.KeyRevisionNumber,
            IsSmart = x.Meter.Mode == MeterMode.Smart,
        }));
        AddAudit(db, now, actor, "campaign.plan", campaign.Id, $"{campaign.Name}: {campaign.Scope} to {Target(campaign)} from {campaign.StartsAt}: {campaign.Reason}");
        await db.SaveChangesAsync(ct);
        await OrderAsync(db, campaign, ct);
        await tx.CommitAsync(ct);
        return new CampaignOutcome.Planned((await CampaignProgress.ReadAsync(db, campaign.Id, ct))!);
    }

    /// <summary>Stops issuing: meters not yet issued lose their pending order until the campaign resumes.</summary>
    public Task<CampaignOutcome> PauseAsync(PrepayDb db, Guid campaignId, string? reason, string actor, CancellationToken ct) =>
        MoveAsync(db, campaignId, CampaignState.Active, CampaignState.Paused, reason, actor, ct);

    public Task<CampaignOutcome> ResumeAsync(PrepayDb db, Guid campaignId, string? reason, string actor, CancellationToken ct) =>
        MoveAsync(db, campaignId, CampaignState.Paused, CampaignState.Active, reason, actor, ct);

    /// <summary>A keypad meter seen holding its new key (the server cannot see a keypad): marked by who saw it, and why.</summary>
    public async Task<CampaignOutcome> ConfirmAsync(PrepayDb db, Guid campaignId, string meterNumber, string? reason, string actor, CancellationToken ct)
    {
        if (ReasonError(reason) is { } error)
        {
            return new CampaignOutcome.Invalid(new Dictionary<string, string[]> { ["reason"] = [error] });
        }
        var row = await db.KeyChangeCampaignMeters.AsNoTracking().FirstOrDefaultAsync(m => m.CampaignId == campaignId && m.MeterNumber == meterNumber, ct);
        if (row is null)
        {
            return new CampaignOutcome.NotFound($"Meter '{meterNumber}' is not in campaign {campaignId}.");
        }
        if (row.IssuedAt is null)
        {
            return new CampaignOutcome.Conflict("not-issued", $"Meter '{meterNumber}' has had no key change tokens yet: nothing to confirm.");
        }
        var now = clock.GetCurrentInstant();
        await using var tx = await db.BeginWriteAsync(ct);
        var changed = await db.KeyChangeCampaignMeters.Where(m => m.CampaignId == campaignId && m.MeterId == row.MeterId && m.ConfirmedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ConfirmedAt, now).SetProperty(m => m.ConfirmedBy, actor).SetProperty(m => m.ConfirmReason, reason!.Trim()), ct);
        if (changed == 0)
        {
            await tx.RollbackAsync(ct);
            return new CampaignOutcome.Conflict("already-confirmed", $"Meter '{meterNumber}' was confirmed before.");
        }
        AddAudit(db, now, actor, "campaign.confirm-meter", campaignId, $"meter {meterNumber}: {reason!.Trim()}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CampaignOutcome.Changed((await CampaignProgress.ReadAsync(db, campaignId, ct))!);
    }

    /// <summary>
    /// The meter's key change tokens once more: a smart meter gets a new delivery command (after a refusal or an
    /// expiry), a keypad meter's customer or field agent gets the same tokens to enter again. The tokens are those
    /// issued, made from the meter's old key, so they work however often they are handed over.
    /// </summary>
    public async Task<CampaignOutcome> ReissueAsync(PrepayDb db, Guid campaignId, string meterNumber, string? reason, string actor, CancellationToken ct)
    {
        if (ReasonError(reason) is { } error)
        {
            return new CampaignOutcome.Invalid(new Dictionary<string, string[]> { ["reason"] = [error] });
        }
        var row = await db.KeyChangeCampaignMeters.AsNoTracking().FirstOrDefaultAsync(m => m.CampaignId == campaignId && m.MeterNumber == meterNumber, ct);
        if (row is null)
        {
            return new CampaignOutcome.NotFound($"Meter '{meterNumber}' is not in campaign {campaignId}.");
        }
        if (row.Tokens is not { } issued)
        {
            return new CampaignOutcome.Conflict("not-issued", $"Meter '{meterNumber}' has had no key change tokens yet: nothing to issue again.");
        }
        var target = await db.KeyChangeCampaigns.Where(c => c.Id == campaignId).Select(c => c.ToKeyRevisionNumber).FirstAsync(ct);
        var reported = await db.MeterStatus.Where(m => m.MeterId == row.MeterId).Select(m => m.KeyRevision).FirstOrDefaultAsync(ct);
        if (CampaignProgress.StateOf(row, null, null, reported, target) == CampaignMeterState.Confirmed)
        {
            return new CampaignOutcome.Conflict("already-confirmed", $"Meter '{meterNumber}' holds its new key: nothing to issue again.");
        }
        var now = clock.GetCurrentInstant();
        var list = issued.Split(' ');
        await using var tx = await db.BeginWriteAsync(ct);
        if (row.IsSmart)
        {
            var command = CommandQueue.Enqueue(db, row.MeterId, row.MeterNumber, new DeliverToken(list), now, $"campaign {campaignId:N}");
            await db.KeyChangeCampaignMeters.Where(m => m.CampaignId == campaignId && m.MeterId == row.MeterId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.CommandId, command.Id).SetProperty(m => m.Deliveries, m => m.Deliveries + 1), ct);
        }
        AddAudit(db, now, actor, "campaign.reissue-meter", campaignId, $"meter {meterNumber}: {reason!.Trim()}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (row.IsSmart)
        {
            dispatcher.Wake();
        }
        return new CampaignOutcome.Reissued(meterNumber, list, row.IsSmart);
    }

    private async Task<CampaignOutcome> MoveAsync(PrepayDb db, Guid campaignId, CampaignState from, CampaignState to, string? reason, string actor, CancellationToken ct)
    {
        if (ReasonError(reason) is { } error)
        {
            return new CampaignOutcome.Invalid(new Dictionary<string, string[]> { ["reason"] = [error] });
        }
        var now = clock.GetCurrentInstant();
        await using var tx = await db.BeginWriteAsync(ct);
        var moved = await db.KeyChangeCampaigns.Where(c => c.Id == campaignId && c.State == from).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, to), ct);
        var campaign = await db.KeyChangeCampaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null)
        {
            await tx.RollbackAsync(ct);
            return new CampaignOutcome.NotFound($"No campaign {campaignId}.");
        }
        if (moved == 0)
        {
            await tx.RollbackAsync(ct);
            return new CampaignOutcome.Conflict($"already-{to.ToString().ToLowerInvariant()}", $"Campaign '{campaign.Name}' is {campaign.State.ToString().ToLowerInvariant()}.");
        }
        if (to == CampaignState.Paused)
        {
            await db.Meters.Where(m => m.KeyChangeCampaignId == campaignId).ClearAsync(ct);
        }
        else
        {
            await OrderAsync(db, campaign, ct);
        }
        AddAudit(db, now, actor, to == CampaignState.Paused ? "campaign.pause" : "campaign.resume", campaignId, reason!.Trim());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CampaignOutcome.Changed((await CampaignProgress.ReadAsync(db, campaignId, ct))!);
    }

    // The pending order on each meter not yet issued (and in no other order): what TokenReservations acts on.
    private static Task<int> OrderAsync(PrepayDb db, KeyChangeCampaignRecord c, CancellationToken ct)
    {
        var waiting = db.KeyChangeCampaignMeters.Where(m => m.CampaignId == c.Id && m.IssuedAt == null).Select(m => m.MeterId);
        return db.Meters.Where(m => waiting.Contains(m.Id) && (m.KeyChangeCampaignId == null || m.KeyChangeCampaignId == c.Id) && m.KeyChangeToRevision == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.KeyChangeToRevision, c.ToKeyRevisionNumber)
                .SetProperty(m => m.KeyChangeToBaseDate, c.ToBaseDate)
                .SetProperty(m => m.KeyChangeToSupplyGroupCode, c.ToSupplyGroupCode)
                .SetProperty(m => m.KeyChangeToTariffIndex, c.ToTariffIndex)
                .SetProperty(m => m.KeyChangeNotBefore, c.StartsAt)
                .SetProperty(m => m.KeyChangeCampaignId, c.Id), ct);
    }

    private static async Task<List<(Meter Meter, string? Site)>> ScopeAsync(PrepayDb db, CampaignInput input, CancellationToken ct)
    {
        var q = MeterPlacements.Current(db).Where(p => p.Meter.Mode == MeterMode.Token || p.Meter.HasStsDecoder);
        if (input.SupplyGroupCode is { } sgc)
        {
            q = q.Where(p => p.Meter.SupplyGroupCode == sgc);
        }
        else if (input.Site is { } site)
        {
            q = q.Where(p => p.SiteCode == site);
        }
        else
        {
            var numbers = input.MeterNumbers!.Select(n => n.Trim()).Distinct().ToList();
            q = q.Where(p => numbers.Contains(p.Meter.MeterNumber));
        }
        return [.. (await q.OrderBy(p => p.Meter.MeterNumber).Select(p => new { p.Meter, p.SiteCode }).Take(MaxMeters + 1).ToListAsync(ct)).Select(x => (x.Meter, x.SiteCode))];
    }

    private static Dictionary<string, string[]> Validate(CampaignInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"is required, at most {MaxNameLength} characters"];
        }
        if (ReasonError(input.Reason) is { } reasonError)
        {
            errors["reason"] = [reasonError];
        }
        if (input.ToKeyRevisionNumber is not (>= 1 and <= 9))
        {
            errors["toKeyRevisionNumber"] = ["is required, 1 to 9 (IEC 62055-41: 4 bits, 0 reserved)"];
        }
        if (input.ToSupplyGroupCode is < 0 or > 999_999)
        {
            errors["toSupplyGroupCode"] = ["must be 0 to 999999"];
        }
        if (input.ToTariffIndex is < 0 or > 99)
        {
            errors["toTariffIndex"] = ["must be 0 to 99"];
        }
        if (input.ToBaseDate is { } bd && bd is not (1993 or 2014 or 2035))
        {
            errors["toBaseDate"] = ["must be 1993, 2014 or 2035"];
        }
        int scopes = (input.SupplyGroupCode is null ? 0 : 1) + (input.Site is null ? 0 : 1) + (input.MeterNumbers is null ? 0 : 1);
        if (scopes != 1)
        {
            errors["meters"] = ["name exactly one of supplyGroupCode, site or meterNumbers"];
        }
        else if (input.MeterNumbers is { } list && (list.Count is 0 or > MaxMeters || list.Any(string.IsNullOrWhiteSpace)))
        {
            errors["meterNumbers"] = [$"must list 1 to {MaxMeters} meter numbers"];
        }
        return errors;
    }

    // IEC 62055-41 §6.3.4: the roll-over bit moves a meter one base date on; never back, never two.
    private static string? BaseDateProblem(Meter meter, int? to) =>
        to is not { } bd || bd == (int)meter.BaseDate ? null
        : KeyChangePolicy.Next(meter.BaseDate) is { } next && bd == (int)next ? null
        : $"meter {meter.MeterNumber} is on base date {(int)meter.BaseDate}: it can only roll over to the next";

    private static string? ReasonError(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "is required: say why"
        : reason.Trim().Length > MaxReasonLength ? $"must be at most {MaxReasonLength} characters"
        : null;

    private static string ScopeText(CampaignInput input, int count) =>
        input.SupplyGroupCode is { } sgc ? $"supply group {sgc} ({count} meters)"
        : input.Site is { } site ? $"site {site} ({count} meters)"
        : $"{count} listed meters";

    private static string Target(KeyChangeCampaignRecord c) =>
        $"KRN {c.ToKeyRevisionNumber}{(c.ToSupplyGroupCode is { } s ? $", SGC {s}" : "")}{(c.ToTariffIndex is { } t ? $", TI {t}" : "")}{(c.ToBaseDate is { } b ? $", base date {(int)b}" : "")}";

    private static void AddAudit(PrepayDb db, Instant now, string actor, string action, Guid campaignId, string details) =>
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = action, Target = $"campaign/{campaignId}", Details = details.Length > 1000 ? details[..1000] : details });
}
