namespace Prepay.Reports;

/// <summary>Reports' settings (<c>Reports:*</c>).</summary>
public sealed class ReportsOptions
{
    /// <summary>Whether this node sends scheduled reports (under a lease: one node at a time does). Default on.</summary>
    public bool Schedules { get; set; } = true;

    /// <summary>How often the schedules are looked at. Default 5 minutes.</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The local time after which yesterday counts as a whole day to report on, so late readings and payments are in.
    /// Default 02:00.
    /// </summary>
    public TimeSpan SendAfter { get; set; } = TimeSpan.FromHours(2);

    public string? Validate() =>
        ScheduleInterval < TimeSpan.FromSeconds(1) ? "Reports:ScheduleInterval must be at least a second"
        : SendAfter < TimeSpan.Zero || SendAfter >= TimeSpan.FromDays(1) ? "Reports:SendAfter must be a time of day (00:00 to 23:59)"
        : null;
}
