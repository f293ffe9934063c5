namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// How much one meter may send (<c>Mqtt:Limits</c>). A healthy meter sends a few messages every 15 minutes and an
/// event now and then; the defaults are far above that, so only a broken or hostile meter meets them. A fleet
/// simulated faster than real time needs them raised (<c>prepay simulate</c> and the benchmarks do).
/// </summary>
public sealed class MeterLimitOptions
{
    public const int Max = 10_000_000;

    /// <summary>Messages (of any kind) one meter may send in a minute. Default 120.</summary>
    public int MessagesPerMinute { get; set; } = 120;

    /// <summary>Events one meter may report in a minute, counted item by item. Default 120.</summary>
    public int EventsPerMinute { get; set; } = 120;

    public string? Validate() =>
        MessagesPerMinute is < 1 or > Max ? $"Mqtt:Limits:MessagesPerMinute must be 1 to {Max}"
        : EventsPerMinute is < 1 or > Max ? $"Mqtt:Limits:EventsPerMinute must be 1 to {Max}"
        : null;
}
