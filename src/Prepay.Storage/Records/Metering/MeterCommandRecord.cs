using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>
/// A command for a meter, queued in the database (written in the same transaction as what caused it, e.g. a vend)
/// and delivered by the head-end until the meter acknowledges it or it expires. The meter applies each command id
/// at most once, so redelivery is always safe.
/// </summary>
public sealed class MeterCommandRecord
{
    public Guid Id { get; init; }
    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }

    /// <summary>
    /// The command's place in its meter's sequence: 1, 2, 3 … in the order they were inserted, assigned by the database
    /// as the row is inserted (a trigger takes <c>meters.last_command_seq + 1</c> under the meter row's lock), so two
    /// servers queueing at once never share a number, nor commit a later one before an earlier one. Signed with the command; the meter refuses any
    /// number not above the last it accepted (docs/mqtt.md, Signed commands).
    /// </summary>
    public long Seq { get; init; }

    public required string Type { get; init; }

    /// <summary>The command's arguments as JSON, e.g. <c>{"energyWh": 50000}</c>.</summary>
    public required string Arguments { get; init; }

    public CommandState State { get; set; }
    public int Attempts { get; set; }
    public Instant CreatedAt { get; init; }
    public Instant NextAttemptAt { get; set; }
    public Instant ExpiresAt { get; init; }
    public Instant? SentAt { get; set; }
    public Instant? AcknowledgedAt { get; set; }

    /// <summary>What the meter said: applied, duplicate, or why it rejected the command.</summary>
    public string? Outcome { get; set; }

    /// <summary>What caused it (a vend id, an operator action).</summary>
    public string? Reference { get; init; }

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of what queued it, when that was traced: sending and acknowledging the
    /// command continue that trace, so one trace follows a vend from its HTTP request to the meter's acknowledgement.
    /// </summary>
    public string? TraceParent { get; init; }
}

public enum CommandState
{
    Queued,
    Sent,
    Acknowledged,
    Failed,
    Expired,

    /// <summary>Withdrawn before it was sent (a reversed vend's credit): never sent.</summary>
    Cancelled,
}
