using NodaTime;

namespace Prepay.Vending.Campaigns;

/// <summary>
/// A key change campaign as an operator plans it: where the meters go (<see cref="ToKeyRevisionNumber"/>, and
/// optionally a new supply group, tariff index or base date), which meters (exactly one of a supply group, a site
/// or a list of numbers), from when, and why.
/// </summary>
public sealed record CampaignInput(
    string? Name,
    string? Reason,
    int? ToKeyRevisionNumber,
    int? ToSupplyGroupCode,
    int? ToTariffIndex,
    int? ToBaseDate,
    Instant? StartsAt,
    int? SupplyGroupCode,
    string? Site,
    IReadOnlyList<string>? MeterNumbers);

/// <summary>Where one meter of a campaign stands, in the order a key change goes.</summary>
public enum CampaignMeterState
{
    /// <summary>Nothing issued yet: a keypad meter waits for its next vend, a smart one for the campaign's start.</summary>
    Planned,

    /// <summary>Key change tokens made (on a receipt, or queued for a smart meter), not yet known to have arrived.</summary>
    Issued,

    /// <summary>A smart meter acknowledged the key change tokens.</summary>
    Delivered,

    /// <summary>Known to hold the new key: a smart meter reports the new key revision; a keypad meter was marked by someone who saw it.</summary>
    Confirmed,

    /// <summary>A smart meter refused the delivery, or it expired undelivered: re-issue it.</summary>
    Failed,
}

public sealed record CampaignMeterView(string MeterNumber, string? Site, int SupplyGroupCode, bool IsSmart, CampaignMeterState State,
    Instant? IssuedAt, int Deliveries, string? CommandOutcome, Instant? ConfirmedAt, string? ConfirmedBy, string? ConfirmReason);

/// <summary>How many meters of a group (the whole campaign, a site, a supply group) are in each state.</summary>
public sealed record CampaignTally(string Group, int Planned, int Issued, int Delivered, int Confirmed, int Failed)
{
    public int Total => Planned + Issued + Delivered + Confirmed + Failed;

    public static CampaignTally Of(string group, IEnumerable<CampaignMeterView> meters)
    {
        int[] n = new int[5];
        foreach (var m in meters)
        {
            n[(int)m.State]++;
        }

        return new CampaignTally(group, n[0], n[1], n[2], n[3], n[4]);
    }
}

public sealed record CampaignView(Guid Id, string Name, string Scope, string Reason, int ToKeyRevisionNumber, int? ToSupplyGroupCode, int? ToTariffIndex, int? ToBaseDate,
    Instant StartsAt, string State, string CreatedBy, Instant CreatedAt, CampaignTally Total, IReadOnlyList<CampaignTally> BySite, IReadOnlyList<CampaignTally> BySupplyGroup);

/// <summary>Every way a campaign action can end.</summary>
public abstract record CampaignOutcome
{
    public sealed record Planned(CampaignView Campaign) : CampaignOutcome;

    public sealed record Changed(CampaignView Campaign) : CampaignOutcome;

    /// <summary>A meter's key change tokens issued again (smart: queued for delivery again; keypad: to hand over again).</summary>
    public sealed record Reissued(string MeterNumber, IReadOnlyList<string> Tokens, bool QueuedForDelivery) : CampaignOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : CampaignOutcome;

    public sealed record NotFound(string Detail) : CampaignOutcome;

    /// <summary>Understood but not possible in the state things are in (code names which).</summary>
    public sealed record Conflict(string Code, string Detail) : CampaignOutcome;
}
