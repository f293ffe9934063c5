using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterData.Readings;
using Prepay.MeterData.Validation;

namespace Prepay.MeterData.Estimation;

/// <summary>
/// Fills a gap with estimates, never silently: every reading it makes is <see cref="ReadingSource.Estimated"/>.
/// Linear when the register is known at both ends of the gap (the reading before it, and the reading after it minus
/// its own interval's energy): the register's step, wrap included, spread by <see cref="LinearSpread"/>, so the
/// estimates add up to exactly what the meter counted. Otherwise each interval takes the measured energy of the same
/// interval a week before (weekly routines), else a day before.
/// </summary>
public static class GapEstimator
{
    private static readonly Duration[] ProfileLookback = [Duration.FromDays(7), Duration.FromDays(1)];

    public static GapEstimate Estimate(Gap gap, IntervalReading after, MeterHistory history, MeterRating rating, VeeOptions options)
    {
        if (!options.Estimate)
        {
            return new NotEstimated(NotEstimated.Disabled);
        }
        if (after.Suspect)
        {
            return new NotEstimated(NotEstimated.SuspectEnd);
        }
        if (gap.To - gap.From > options.MaxGapToEstimate)
        {
            return new NotEstimated(NotEstimated.TooLong);
        }
        return (GapEstimate?)Linear(gap, after, rating) ?? (GapEstimate?)Profile(gap, after.Meter, history) ?? new NotEstimated(NotEstimated.NoProfile);
    }

    private static Estimated? Linear(Gap gap, IntervalReading after, MeterRating rating)
    {
        if (gap.Before is not { Suspect: false, Register: { } from } || after.Register is not { } afterRegister || after.Energy is not { } afterEnergy)
        {
            return null;
        }
        var to = Wrap(afterRegister.WattHours - afterEnergy.WattHours, rating);
        var step = to - from.WattHours;
        if (step < 0)
        {
            var wrapped = rating.RegisterCapacityWh - from.WattHours + to;
            if (from.WattHours >= rating.RegisterCapacityWh || !rating.Allows(new Energy(wrapped), gap.To - gap.From))
            {
                return null;
            }
            step = wrapped;
        }
        var shares = LinearSpread.Split(new Energy(step), gap.Missing);
        return new Estimated(Readings(gap, after.Meter, shares, from, rating), EstimationMethod.Linear);
    }

    private static Estimated? Profile(Gap gap, Domain.Metering.MeterNumber meter, MeterHistory history)
    {
        var shares = new Energy[gap.Missing.Count];
        for (var i = 0; i < shares.Length; i++)
        {
            var found = ProfileLookback
                .Select(back => history.At(gap.Missing[i].Start - back))
                .FirstOrDefault(r => r is { Energy: not null, Source: not ReadingSource.Estimated } && r.Length == gap.Missing[i].Duration);
            if (found is null)
            {
                return null;
            }
            shares[i] = found.Energy!.Value;
        }
        var from = gap.Before is { Suspect: false } before ? before.Register : null;
        return new Estimated(Readings(gap, meter, shares, from, rating: null), EstimationMethod.Profile);
    }

    /// <summary>The estimated readings; their registers run on from <paramref name="from"/> when it is known.</summary>
    private static IntervalReading[] Readings(Gap gap, Domain.Metering.MeterNumber meter, IReadOnlyList<Energy> shares, Energy? from, MeterRating? rating)
    {
        var readings = new IntervalReading[shares.Count];
        var register = from?.WattHours;
        for (var i = 0; i < readings.Length; i++)
        {
            register = register is { } r ? (rating is null ? r + shares[i].WattHours : Wrap(r + shares[i].WattHours, rating)) : null;
            var at = gap.Missing[i];
            readings[i] = new IntervalReading(meter, at.Start, at.End, register is { } value ? new Energy(value) : null, shares[i], ReadingSource.Estimated);
        }
        return readings;
    }

    private static long Wrap(long value, MeterRating rating) =>
        ((value % rating.RegisterCapacityWh) + rating.RegisterCapacityWh) % rating.RegisterCapacityWh;
}
