using NodaTime;

namespace Prepay.Storage.Records.Statements;

/// <summary>
/// A line of a customer's daily statement that they dispute (a meter, a local day, a line kind, in their words), and
/// staff's answer. Open until answered; an answer resolves or rejects it once, by a conditional update out of open.
/// </summary>
public sealed class StatementDisputeRecord
{
    public Guid Id { get; init; }
    public Guid CustomerId { get; init; }
    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }

    /// <summary>The statement's local day (the meter's tariff's zone).</summary>
    public LocalDate Day { get; init; }

    /// <summary>Which line: <c>energy</c>, <c>fixed-charges</c>, <c>taxes</c>, <c>debt-recovered</c>, <c>top-ups</c>, …</summary>
    public required string LineKind { get; init; }
    public required string Text { get; init; }
    public DisputeState State { get; set; }
    public Instant RaisedAt { get; init; }
    public required string RaisedBy { get; init; }
    public string? Answer { get; set; }
    public Instant? AnsweredAt { get; set; }
    public string? AnsweredBy { get; set; }
}

public enum DisputeState
{
    Open,
    Resolved,
    Rejected,
}
