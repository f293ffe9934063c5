using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>
/// A meter whose credit is (or was) held centrally, one row per meter: the stretch of readings priced (those ending
/// after <see cref="PricedFrom"/>, the switch to central, and not after <see cref="PricedUntil"/>, a switch back to
/// the meter), and whether its balance was last seen exhausted (≤ 0) with a disconnection asked for, so that it is
/// asked once per exhaustion and a reconnection once when credit returns, and the balance last sent to its display. The pricing worker locks this row while it
/// prices the meter, so two nodes never price one meter at once.
/// </summary>
public sealed class CentralCreditStateRecord
{
    public Guid MeterId { get; init; }
    public Instant PricedFrom { get; set; }
    public Instant? PricedUntil { get; set; }
    public bool Exhausted { get; set; }
    public Instant ChangedAt { get; set; }

    /// <summary>The balance last queued for the meter's display (<c>showBalance</c>), when, and its command; null before the first.</summary>
    public long? DisplayMinor { get; set; }

    public Instant? DisplayQueuedAt { get; set; }

    public Guid? DisplayCommandId { get; set; }
}
