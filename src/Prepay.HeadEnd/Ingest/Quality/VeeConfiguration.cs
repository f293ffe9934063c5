using Microsoft.Extensions.Configuration;
using NodaTime;
using Prepay.MeterData;

namespace Prepay.HeadEnd.Ingest.Quality;

/// <summary>
/// Reads <see cref="VeeOptions"/> from the <c>MeterData:Vee</c> section: durations as .NET time spans
/// (<c>00:15:00</c>), like every other duration in Prepay's configuration; anything left out keeps its default
/// (<c>Estimate</c> on: a real reading beats an estimate in the database, see <see cref="Ingest.ReadingWriter"/>).
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
            // On unless switched off. With several nodes on a shared subscription one node's in-memory history lags
            // another's, so it may estimate an interval the other is storing; the database settles that race: a real
            // reading's insert replaces an estimate in its place (with its adjustment) and an estimate never
            // displaces a stored reading (ReadingWriter).
            Estimate = read.Estimate ?? defaults.Estimate,
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
