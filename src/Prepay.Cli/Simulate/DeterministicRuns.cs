using System.Diagnostics;
using System.Globalization;
using System.Text;
using Prepay.Cli.Sts;
using Prepay.Simulation;

namespace Prepay.Cli.Simulate;

/// <summary>
/// <c>prepay simulate --deterministic [--seeds N] [--seed S] [--without GUARD,…]</c>: the whole loop in one process on
/// simulated time (<see cref="Simulation"/>). <c>--seed S</c> alone runs that one seed (and prints its trace, which
/// a replay must match); <c>--seeds N</c> runs N seeds from S (default 1) on every core. Each failing seed prints
/// the invariant it broke, where, and the one command that replays it; the exit code is 1 when any seed failed.
/// </summary>
public static class DeterministicRuns
{
    public const int DefaultSeeds = 100;
    public const int MaxSeeds = 1_000_000;

    public static CommandOutcome Run(long? seed, int? seeds, string? without, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var off = GuardNames.Parse(without, out var problem);
        if (off is null)
        {
            return new CommandOutcome(Hosting.CommandLine.BadInput, "", $"prepay: --without: {problem}{Environment.NewLine}");
        }
        if (seeds is < 1 or > MaxSeeds)
        {
            return new CommandOutcome(Hosting.CommandLine.BadInput, "", $"prepay: --seeds must be 1 to {MaxSeeds}{Environment.NewLine}");
        }
        if (seed is < 0)
        {
            return new CommandOutcome(Hosting.CommandLine.BadInput, "", $"prepay: --seed must be 0 or more{Environment.NewLine}");
        }
        var guards = Guards.All & ~off.Value;
        var output = new StringBuilder();
        if (seed is { } one && seeds is null)
        {
            var result = Simulation.Simulation.Run(new SimulationOptions { Seed = one, Guards = guards });
            output.AppendLine(result.Describe());
            output.AppendLine(CultureInfo.InvariantCulture, $"trace {result.Trace:x16}, {result.Steps} steps");
            return new CommandOutcome(result.Passed ? 0 : 1, output.ToString(), "");
        }
        var count = seeds ?? DefaultSeeds;
        var first = seed ?? 1;
        var clock = Stopwatch.StartNew();
        var done = 0;
        var failed = 0;
        var step = Math.Max(1, count / 10);
        var results = Simulation.Simulation.Sweep(first, count, guards, r =>
        {
            var n = Interlocked.Increment(ref done);
            var f = r.Passed ? Volatile.Read(ref failed) : Interlocked.Increment(ref failed);
            if (n % step == 0 || n == count)
            {
                progress?.Invoke($"{n}/{count} seeds, {f} failed, {clock.Elapsed.TotalSeconds:0.0} s");
            }
        }, cancellationToken);
        foreach (var result in results.Where(r => !r.Passed))
        {
            output.AppendLine(result.Describe());
        }
        var c = results.Select(r => r.Counts).ToList();
        var switchedOff = off.Value == Guards.None ? "" : $" without {GuardNames.Format(off.Value)}";
        output.AppendLine(CultureInfo.InvariantCulture,
            $"{count} seeds ({first} to {first + count - 1}){switchedOff}: {count - results.Count(r => !r.Passed)} passed, {results.Count(r => !r.Passed)} failed in {clock.Elapsed.TotalSeconds:0.0} s; " +
            $"{c.Sum(x => x.Vends)} vends, {c.Sum(x => x.Commands)} commands, {c.Sum(x => x.MessagesAccepted)} meter messages, {c.Sum(x => x.Alerts)} alerts ({c.Sum(x => x.AlertsResent)} resent), {c.Sum(x => x.Crashes)} node crashes");
        return new CommandOutcome(results.All(r => r.Passed) ? 0 : 1, output.ToString(), "");
    }
}
