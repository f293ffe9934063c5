using NodaTime;
using Prepay.Domain.Metering;

namespace Prepay.Storage.Records.Campaigns;

/// <summary>
/// A planned key change for a set of meters (IEC 62055-41 §6.3.4 / §6.5): the key revision, and optionally the
/// supply group, tariff index and base date, they move to from <see cref="StartsAt"/> on.
/// </summary>
public sealed class KeyChangeCampaignRecord
{
    public Guid Id { get; init; }
    public required string Name { get; init; }

    /// <summary>Which meters, in words (a supply group, a site, a list), as the operator chose them.</summary>
    public required string Scope { get; init; }

    public int ToKeyRevisionNumber { get; init; }
    public int? ToSupplyGroupCode { get; init; }
    public int? ToTariffIndex { get; init; }
    public StsBaseDate? ToBaseDate { get; init; }
    public Instant StartsAt { get; init; }
    public CampaignState State { get; set; }
    public required string CreatedBy { get; init; }
    public Instant CreatedAt { get; init; }
    public required string Reason { get; init; }
}

/// <summary>Whether a campaign issues key changes.</summary>
public enum CampaignState
{
    /// <summary>Issues from its start: with each vend to a keypad meter, by command to smart meters.</summary>
    Active,

    /// <summary>Issues nothing until resumed; what was issued stays issued.</summary>
    Paused,
}

/// <summary>
/// One meter of a campaign: the key it had when planned (so a failed delivery can be made again from it), and what
/// happened: tokens issued, the delivery command (smart meters), an operator's or field agent's confirmation.
/// </summary>
public sealed class KeyChangeCampaignMeterRecord
{
    public Guid CampaignId { get; init; }
    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }
    public string? SiteCode { get; init; }
    public int FromSupplyGroupCode { get; init; }
    public int FromKeyRevisionNumber { get; init; }
    public bool IsSmart { get; init; }
    public Instant? IssuedAt { get; set; }

    /// <summary>The key change tokens issued, space-separated, in the order they are entered.</summary>
    public string? Tokens { get; set; }

    /// <summary>The last <c>deliverToken</c> command that carries them (smart meters).</summary>
    public Guid? CommandId { get; set; }

    public int Deliveries { get; set; }
    public Instant? ConfirmedAt { get; set; }
    public string? ConfirmedBy { get; set; }
    public string? ConfirmReason { get; set; }
}
