using NodaTime;
using Prepay.Meter.Load;

namespace Prepay.Simulator.Fleet;

/// <summary>
/// How a meter's customer buys: an early buyer tops up when credit falls below a personal threshold; a late buyer
/// lets it run out and waits (1 to 24 simulated hours) before buying. Amounts are drawn from a few usual notes.
/// Seeded per meter.
/// </summary>
public sealed class Customer
{
    private static readonly int[] Amounts = [50, 100, 150, 200, 300];
    private readonly Random _random;
    private readonly int _scale;
    private Instant? _buyAt;

    public Customer(int seed, LoadShape shape)
    {
        _random = new Random(seed);
        TopsUpEarly = _random.NextDouble() < 0.6;
        ThresholdWh = _random.Next(3, 9) * 1000L;
        _scale = shape == LoadShape.Industrial ? 10 : 1;
    }

    public bool TopsUpEarly { get; }

    public long ThresholdWh { get; }

    /// <summary>Whether to buy now, given the meter's credit; a buyer waiting for credit already paid for does not.</summary>
    public bool WantsToBuy(Instant now, long creditWh, bool awaitingCredit)
    {
        if (awaitingCredit)
        {
            return false;
        }
        if (TopsUpEarly)
        {
            return creditWh < ThresholdWh;
        }
        if (creditWh > 0)
        {
            _buyAt = null;
            return false;
        }
        _buyAt ??= now + Duration.FromMinutes(_random.Next(60, 24 * 60));
        if (now < _buyAt)
        {
            return false;
        }
        _buyAt = null;
        return true;
    }

    /// <summary>The amount, in major units.</summary>
    public int NextAmount() => Amounts[_random.Next(Amounts.Length)] * _scale;

    /// <summary>Whether the link drops in a step of <paramref name="step"/>, given the rate per day.</summary>
    public bool LinkDrops(Duration step, double perDay) => _random.NextDouble() < perDay * step.TotalDays;

    public Duration OutageLength() => Duration.FromMinutes(_random.Next(60, 6 * 60));
}
