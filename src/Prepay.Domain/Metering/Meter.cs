using NodaTime;

namespace Prepay.Domain.Metering;

/// <summary>A prepaid meter: how credit reaches it, in which currency it is sold, and its STS parameters.</summary>
public sealed class Meter
{
    public Guid Id { get; init; }
    public required string MeterNumber { get; init; }
    public MeterMode Mode { get; set; }
    public required string Currency { get; set; }

    /// <summary>Smallest energy step the meter accepts: 100 Wh (0.1 kWh) for STS electricity tokens, 1 Wh for smart meters.</summary>
    public long ResolutionWh { get; set; }

    /// <summary>
    /// A smart meter that also has an STS keypad decoder: its credit is an STS token, delivered by the head-end
    /// (<c>deliverToken</c>) and printed on the receipt, so a customer whose meter is offline can type it in. The
    /// decoder's TID memory applies it once, whichever way arrives first. Always true in effect for token meters.
    /// </summary>
    public bool HasStsDecoder { get; set; }

    /// <summary>How the head-end reaches it: MQTT unless it was registered, or changed, as a DLMS meter.</summary>
    public MeterTransport Transport { get; set; }

    /// <summary>Whether its credit is sold as STS tokens: a token meter, or a smart meter with a keypad decoder.</summary>
    public bool IssuesStsTokens => Mode == MeterMode.Token || HasStsDecoder;

    public int SupplyGroupCode { get; set; }
    public int KeyRevisionNumber { get; set; }
    public int TariffIndex { get; set; }
    public int KeyType { get; set; }
    public StsEncryptionAlgorithm EncryptionAlgorithm { get; set; }
    public StsBaseDate BaseDate { get; set; }

    /// <summary>
    /// A key change an operator asked for: the key revision (and base date) the meter moves to with the key change
    /// tokens issued before its next token. Null when none is pending; cleared when the tokens are issued.
    /// </summary>
    public int? KeyChangeToRevision { get; set; }

    /// <summary>The base date of the pending key change; a later one than <see cref="BaseDate"/> means a roll-over.</summary>
    public StsBaseDate? KeyChangeToBaseDate { get; set; }

    /// <summary>The supply group code of the pending key change, when it changes that too (a campaign's).</summary>
    public int? KeyChangeToSupplyGroupCode { get; set; }

    /// <summary>The tariff index of the pending key change, when it changes that too (a campaign's).</summary>
    public int? KeyChangeToTariffIndex { get; set; }

    /// <summary>The pending key change is not made before this instant (a campaign's start); null: at the next token.</summary>
    public Instant? KeyChangeNotBefore { get; set; }

    /// <summary>The key change campaign the pending key change belongs to, if any.</summary>
    public Guid? KeyChangeCampaignId { get; set; }

    /// <summary>
    /// The last STS token identifier issued to this meter. Advanced inside the vend's database transaction
    /// so that two vends, even on two servers, never share one.
    /// </summary>
    public long LastTokenId { get; set; }

    /// <summary>Fixed charges are paid up to and including this date (tariff time zone).</summary>
    public LocalDate? FixedChargesPaidThrough { get; set; }

    /// <summary>Fixed charges owed but not yet recovered, in minor units.</summary>
    public long FixedChargeArrearsMinor { get; set; }

    public Instant CreatedAt { get; init; }

    public StsParameters Sts => new(SupplyGroupCode, KeyRevisionNumber, TariffIndex, KeyType, EncryptionAlgorithm, BaseDate);
}
