using Microsoft.Extensions.Configuration;
using NodaTime;
using Prepay.MeterData;

namespace Prepay.HeadEnd.Ingest.Quality;

/// <summary>
/// Reads <see cref="VeeOptions"/> from the <c>MeterData:Vee</c> section: durations as .NET time spans
/// (<c>00:15:00</c>), like every other duration in Prepay's configuration; anything left out keeps its default, except
/// <c>Estimate</c>, off on ingestion unless set (see below).
/// </summary>
public static class VeeConfiguration
{
    public static VeeOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(VeeOptions.Section);
        var read = section.Get<Settings>() ?? new Settings();
        var defaults = new VeeOptions();
        var options = defaults with
        {
            IntervalLength = Of(read.IntervalLength) ?? defaults.IntervalLength,
            FutureTolerance = Of(read.FutureTolerance) ?? defaults.FutureTolerance,
            ClockDriftTolerance = Of(read.ClockDriftTolerance) ?? defaults.ClockDriftTolerance,
            MaxGapToEstimate = Of(read.MaxGapToEstimate) ?? defaults.MaxGapToEstimate,
            DefaultMaxCurrentA = read.DefaultMaxCurrentA ?? defaults.DefaultMaxCurrentA,
            DefaultVoltageV = read.DefaultVoltageV ?? defaults.DefaultVoltageV,
            DefaultRegisterCapacityWh = read.DefaultRegisterCapacityWh ?? defaults.DefaultRegisterCapacityWh,
            // Off unless asked for: each node keeps its meters' recent history in memory, and with several nodes on a
            // shared subscription one node's history lags another's, so it would estimate an interval the other is
            // storing, and an estimate committed first would stand where the real reading should. Gaps are still
            // found and reported; estimating them on ingestion waits for the database itself to let a real reading
            // win over an estimate.
            Estimate = read.Estimate ?? false,
            DisabledRules = read.DisabledRules ?? [],
        };
        return options.Problem() is { } problem ? throw new InvalidOperationException($"{VeeOptions.Section}: {problem}") : options;
    }

    private static Duration? Of(TimeSpan? span) => span is { } s ? Duration.FromTimeSpan(s) : null;

    private sealed class Settings
    {
        public TimeSpan? IntervalLength { get; set; }
        public TimeSpan? FutureTolerance { get; set; }
        public TimeSpan? ClockDriftTolerance { get; set; }
        public TimeSpan? MaxGapToEstimate { get; set; }
        public int? DefaultMaxCurrentA { get; set; }
        public int? DefaultVoltageV { get; set; }
        public long? DefaultRegisterCapacityWh { get; set; }
        public bool? Estimate { get; set; }
        public string[]? DisabledRules { get; set; }
    }
}
