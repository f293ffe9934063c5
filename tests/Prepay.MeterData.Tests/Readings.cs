using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.MeterData;
using Prepay.MeterData.Readings;
using Prepay.MeterData.Validation;

namespace Prepay.MeterData.Tests;

/// <summary>Readings of one meter on 15-minute intervals from a fixed midnight, and a validator with the defaults.</summary>
internal static class Readings
{
    public static readonly MeterNumber Meter = MeterNumber.Parse("58000000001");
    public static readonly Instant Midnight = Instant.FromUtc(2026, 11, 2, 0, 0);
    public static readonly Duration Step = Duration.FromMinutes(15);
    public static readonly VeeOptions Options = new();

    /// <summary>100 A × 230 V: 5 750 Wh in 15 minutes; the register wraps at 100 000 kWh (99999.9 kWh shown).</summary>
    public static readonly MeterRating Rating = Options.DefaultRating;

    public static Instant Start(int interval) => Midnight + Step * interval;

    public static IntervalReading Actual(int interval, long? register, long? energy) =>
        IntervalReading.Actual(Meter, Start(interval), Start(interval + 1), register is { } r ? new Energy(r) : null, energy is { } e ? new Energy(e) : null);

    public static IntervalReading Estimate(int interval, long? register, long energy) =>
        new(Meter, Start(interval), Start(interval + 1), register is { } r ? new Energy(r) : null, new Energy(energy), ReadingSource.Estimated);

    public static MeterHistory History(params IntervalReading[] readings) => new(readings);

    /// <summary>What one rule says, with the clock a day after midnight unless told.</summary>
    public static ReadingOutcome? Check(IValidationRule rule, IntervalReading reading, MeterHistory? history = null, Instant? now = null, VeeOptions? options = null) =>
        rule.Check(new ValidationContext(reading, history ?? MeterHistory.Empty, Rating, now ?? Midnight + Duration.FromDays(1), options ?? Options));

    public static ReadingValidation Validate(IntervalReading reading, MeterHistory history, VeeOptions? options = null) =>
        ReadingValidator.Configured(options ?? Options).Validate(reading, history, Rating, Midnight + Duration.FromDays(30));
}
