using NodaTime;

namespace Prepay.Storage.Records.Reports;

/// <summary>
/// A report emailed with its CSV attached after each whole day, ISO week or month (in <see cref="Zone"/>) to
/// <see cref="Recipients"/>. <see cref="LastPeriod"/> names the last period sent, written in the transaction that
/// queued its messages, so a period is queued once.
/// </summary>
public sealed class ReportScheduleRecord
{
    public Guid Id { get; init; }

    public required string Report { get; init; }

    /// <summary>The report's grouping where it has several (consumption: meter, premises or site).</summary>
    public string? GroupBy { get; init; }

    /// <summary><c>daily</c>, <c>weekly</c> or <c>monthly</c>.</summary>
    public required string Cadence { get; init; }

    /// <summary>An IANA time zone: where the periods' days begin.</summary>
    public required string Zone { get; init; }

    /// <summary>Email addresses, comma separated.</summary>
    public required string Recipients { get; init; }

    public required string CreatedBy { get; init; }

    public Instant CreatedAt { get; init; }

    public string? LastPeriod { get; set; }

    public Instant? LastQueuedAt { get; set; }
}
