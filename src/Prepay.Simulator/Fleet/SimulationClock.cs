using NodaTime;

namespace Prepay.Simulator.Fleet;

/// <summary>
/// The simulation's one clock: the fleet moves it forward in steps and every meter, and an in-process server, read
/// it. It never goes backwards. Thread-safe.
/// </summary>
public sealed class SimulationClock(Instant start) : IClock
{
    private long _ticks = start.ToUnixTimeTicks();

    public Instant GetCurrentInstant() => Instant.FromUnixTimeTicks(Interlocked.Read(ref _ticks));

    /// <summary>Moves to <paramref name="to"/>, or stays where it is if that is earlier.</summary>
    public void AdvanceTo(Instant to)
    {
        var target = to.ToUnixTimeTicks();
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (target <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _ticks, target, current) != current);
    }
}
