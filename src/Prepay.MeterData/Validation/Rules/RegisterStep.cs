using Prepay.Domain.Energy;
using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Validation.Rules;

/// <summary>
/// The energy a register counted between two readings. Registers count up and wrap to zero at their capacity, so a
/// lower later value is a wrap when the wrapped distance (capacity − earlier + later) is something the meter could
/// have measured in the time between at full rating; otherwise it went backwards (a roll-back: a swapped or tampered
/// meter, a bad read).
/// </summary>
internal static class RegisterStep
{
    public enum Kind { Forward, Wrapped, Backwards }

    public static (Kind Kind, Energy Delta) Between(IntervalReading earlier, IntervalReading later, MeterRating rating)
    {
        var from = earlier.Register!.Value.WattHours;
        var to = later.Register!.Value.WattHours;
        if (to >= from)
        {
            return (Kind.Forward, new Energy(to - from));
        }
        if (from < rating.RegisterCapacityWh && to < rating.RegisterCapacityWh)
        {
            var wrapped = new Energy(checked(rating.RegisterCapacityWh - from + to));
            if (rating.Allows(wrapped, later.End - earlier.End))
            {
                return (Kind.Wrapped, wrapped);
            }
        }
        return (Kind.Backwards, new Energy(to - from));
    }
}
