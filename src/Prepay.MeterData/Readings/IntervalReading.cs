using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.MeterData.Readings;

/// <summary>
/// One interval of one meter: the cumulative import register at the interval's end and/or the energy used in it.
/// <see cref="ReceivedAt"/> is when the head-end got it; <see cref="MeterClockAt"/> is the meter's own clock at sending,
/// when the transport reports it (a DLMS clock read), so clock drift can be measured both ways.
/// </summary>
public sealed record IntervalReading
{
    public IntervalReading(MeterNumber meter, Instant start, Instant end, Energy? register, Energy? energy, ReadingSource source)
    {
        if (end <= start)
        {
            throw new ArgumentException("An interval ends after it starts.", nameof(end));
        }
        if (register is null && energy is null)
        {
            throw new ArgumentException("A reading carries a register value, an interval energy, or both.", nameof(register));
        }
        Meter = meter;
        Start = start;
        End = end;
        Register = register;
        Energy = energy;
        Source = source;
    }

    public MeterNumber Meter { get; }
    public Instant Start { get; }
    public Instant End { get; }

    /// <summary>The cumulative register at <see cref="End"/> (it wraps at the meter's capacity, <see cref="MeterRating"/>).</summary>
    public Energy? Register { get; }

    /// <summary>The energy used between <see cref="Start"/> and <see cref="End"/>.</summary>
    public Energy? Energy { get; }

    public ReadingSource Source { get; }
    public Instant? ReceivedAt { get; init; }
    public Instant? MeterClockAt { get; init; }

    /// <summary>Held, but a rule found it suspect: its register is not trusted by the checks of later readings, nor estimated from.</summary>
    public bool Suspect { get; init; }

    public Duration Length => End - Start;

    /// <summary>Same interval and same values: what a meter resending a reading sends. Receive times may differ.</summary>
    public bool SameValuesAs(IntervalReading other) =>
        Start == other.Start && End == other.End && Register == other.Register && Energy == other.Energy;

    public static IntervalReading Actual(MeterNumber meter, Instant start, Instant end, Energy? register, Energy? energy) =>
        new(meter, start, end, register, energy, ReadingSource.Actual);
}
