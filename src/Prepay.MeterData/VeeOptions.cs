using NodaTime;
using Prepay.MeterData.Readings;

namespace Prepay.MeterData;

/// <summary>
/// How readings are validated and gaps estimated (configuration section <c>MeterData:Vee</c>). Every limit here is a
/// judgement about real meters; each default says why it was chosen.
/// </summary>
public sealed record VeeOptions
{
    public const string Section = "MeterData:Vee";

    /// <summary>
    /// The length of one interval: 15 minutes, the settlement period of the load profiles meters here send
    /// (IEC 62056-6-2 profile generic, capture period 900 s).
    /// </summary>
    public Duration IntervalLength { get; init; } = Duration.FromMinutes(15);

    /// <summary>
    /// How far past the server's clock a reading may end before it is <c>from-the-future</c>: one interval, so a
    /// meter that stamps an interval a little early is not refused, while one a day ahead is.
    /// </summary>
    public Duration FutureTolerance { get; init; } = Duration.FromMinutes(15);

    /// <summary>
    /// How far the meter's clock may be from the head-end's receive time: 2 minutes. Smart-meter specifications ask
    /// for a clock within seconds of UTC after synchronisation (GB SMETS2 §5.7: 10 s); minutes are a clock to set,
    /// not network delay.
    /// </summary>
    public Duration ClockDriftTolerance { get; init; } = Duration.FromMinutes(2);

    /// <summary>
    /// The rating assumed for a meter when none is recorded: 100 A Imax (the common direct-connected residential
    /// class, IEC 62053-21), 230 V nominal (IEC 60038) and a register wrapping at 100 000 kWh (six digits, 99999.9 kWh).
    /// </summary>
    public int DefaultMaxCurrentA { get; init; } = 100;

    public int DefaultVoltageV { get; init; } = 230;

    public long DefaultRegisterCapacityWh { get; init; } = 100_000_000;

    /// <summary>Whether gaps are estimated at all. Off, a gap is only reported and waits for its real values.</summary>
    public bool Estimate { get; init; } = true;

    /// <summary>
    /// The longest gap that is estimated: 7 days. Beyond a week the meter is more likely removed, replaced or
    /// broken than silent, and an operator should look before the server makes up a week of consumption.
    /// </summary>
    public Duration MaxGapToEstimate { get; init; } = Duration.FromDays(7);

    /// <summary>
    /// Rule names switched off (e.g. <c>clock-drift</c> for meters whose clocks are known to be unsynchronised).
    /// A list of what is off rather than of what is on: configuration binding appends to a list's defaults.
    /// </summary>
    public IReadOnlyCollection<string> DisabledRules { get; init; } = [];

    public MeterRating DefaultRating => new(DefaultMaxCurrentA, DefaultVoltageV, DefaultRegisterCapacityWh);

    /// <summary>The first problem with these options, or null: checked at start.</summary>
    public string? Problem() =>
        IntervalLength <= Duration.Zero ? "IntervalLength must be positive."
        : FutureTolerance < Duration.Zero ? "FutureTolerance must not be negative."
        : ClockDriftTolerance < Duration.Zero ? "ClockDriftTolerance must not be negative."
        : DefaultMaxCurrentA <= 0 ? "DefaultMaxCurrentA must be positive."
        : DefaultVoltageV <= 0 ? "DefaultVoltageV must be positive."
        : DefaultRegisterCapacityWh <= 0 ? "DefaultRegisterCapacityWh must be positive."
        : MaxGapToEstimate < IntervalLength ? "MaxGapToEstimate must be at least one interval."
        : null;
}
