using NodaTime;

namespace Prepay.Simulation;

/// <summary>How one seed's run ended.</summary>
public sealed record SimulationResult(SimulationOptions Options, bool Passed, long Steps, Instant At, string? Invariant, string? Detail, ulong Trace, SimulationCounts Counts)
{
    public long Seed => Options.Seed;

    /// <summary>One line: the seed, where it broke and what, and the command that replays it exactly.</summary>
    public string Describe() => Passed
        ? $"seed {Seed}: passed ({Steps} steps, {Counts})"
        : $"seed {Seed}: {Invariant} broken at step {Steps} ({At:yyyy-MM-dd HH:mm:ss} UTC): {Detail}\n  replay: {Options.ReplayCommand}";
}

/// <summary>What one run did, to see that it did something.</summary>
public sealed record SimulationCounts(int Vends, int Commands, int Readings, int Events, int Alerts, int AlertsResent, int Crashes, int MessagesAccepted)
{
    public override string ToString() =>
        $"{Vends} vends, {Commands} commands, {Readings} readings, {Events} events, {Alerts} alerts ({AlertsResent} resent), {Crashes} crashes, {MessagesAccepted} messages";
}

/// <summary>
/// <c>prepay simulate --deterministic</c>: the whole loop in one process on simulated time, from a seed. The same seed
/// gives the same run, event for event (<see cref="SimulationResult.Trace"/>), on any machine.
/// </summary>
public static class Simulation
{
    public static SimulationResult Run(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var world = new World(options);
        string? invariant = null;
        string? detail = null;
        try
        {
            world.Run();
        }
        catch (InvariantViolationException violation)
        {
            invariant = violation.Invariant;
            detail = violation.Detail;
        }
        var db = world.Db;
        var counts = new SimulationCounts(
            db.Vends.Count, db.Commands.Sum(c => c.Count), db.Readings.Count, db.Events.Count, db.Alerts.Count,
            world.Mail.Resent, world.Crashes, world.Broker.Accepted.Count);
        return new SimulationResult(options, invariant is null, world.Scheduler.Step, world.Scheduler.Now, invariant, detail, world.Scheduler.Trace, counts);
    }

    /// <summary>
    /// Runs <paramref name="seeds"/> seeds from <paramref name="first"/> on every core, each on its own (a run shares
    /// nothing), and returns them in seed order; <paramref name="progress"/> hears each as it ends.
    /// </summary>
    public static IReadOnlyList<SimulationResult> Sweep(long first, int seeds, Guards guards, Action<SimulationResult>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new SimulationResult[seeds];
        Parallel.For(0, seeds, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            results[i] = Run(new SimulationOptions { Seed = first + i, Guards = guards });
            progress?.Invoke(results[i]);
        });
        return results;
    }
}
