using NodaTime;

namespace Prepay.Policy.Decisions;

/// <summary>
/// "May this meter be cut at <see cref="At"/>?": the meter's situation as the caller knows it. The evaluator reads
/// no clock and no database; everything it decides on is here or in the policy.
/// </summary>
/// <param name="At">The instant the disconnection would happen.</param>
/// <param name="Zone">The site's time zone: friendly hours, holidays and seasons are its local time.</param>
/// <param name="Reason">Why the disconnection is asked.</param>
public sealed record DisconnectionRequest(Instant At, DateTimeZone Zone, DisconnectionReason Reason)
{
    /// <summary>The site's holiday region (e.g. "IN-UP"); null: the policy's own.</summary>
    public string? HolidayRegion { get; init; }

    public CustomerProtections Protections { get; init; }

    /// <summary>When the meter (or its supply) switched to prepaid; null when not known (no grace applies).</summary>
    public Instant? SwitchedToPrepaidAt { get; init; }

    /// <summary>The meter is running on emergency credit now.</summary>
    public bool InEmergencyCredit { get; init; }
}
