using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.MeterData.Replacement;

/// <summary>
/// The correction owed when an interval's real energy replaces its estimate: <see cref="Difference"/> = real −
/// estimated (negative when the estimate was too high). Central credit prices and posts exactly this, at the
/// interval's own tariff, so the balance ends as if the real value had arrived on time.
/// </summary>
public sealed record Adjustment(MeterNumber Meter, Interval Interval, Energy Estimated, Energy Actual)
{
    public Energy Difference => Actual - Estimated;
}
