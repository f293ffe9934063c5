using Prepay.Cli.Simulate;

namespace Prepay.Cli.Tests.Simulate;

/// <summary>
/// <c>prepay simulate --deterministic</c> as an operator runs it: a sweep of seeds exits 0 with its tally, a seed that
/// breaks an invariant prints the command that replays it, and that command, run as printed, gives the same failure
/// and the same trace.
/// </summary>
public sealed class DeterministicSimulateTests
{
    [Fact]
    public async Task A_failing_seed_prints_the_one_command_that_replays_it_and_that_command_does()
    {
        // A sweep with the gate switched off: some seeds send a cut the policy forbids.
        using var sweep = new PrepayProcess("simulate", "--deterministic", "--seeds", "20", "--without", "disconnect-gate");
        Assert.Equal(1, await sweep.ExitAsync(TimeSpan.FromMinutes(2)));
        var replay = sweep.Output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("replay: ", StringComparison.Ordinal))["replay: ".Length..];
        Assert.Matches(@"^prepay simulate --deterministic --seed \d+ --without disconnect-gate$", replay);
        var failure = sweep.Output.Split('\n').First(l => l.Contains("policy-allows-cut broken", StringComparison.Ordinal)).Trim();

        using var first = new PrepayProcess(replay.Split(' ')[1..]);
        using var second = new PrepayProcess(replay.Split(' ')[1..]);
        Assert.Equal(1, await first.ExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, await second.ExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains(failure, first.Output, StringComparison.Ordinal);
        Assert.Matches(@"trace [0-9a-f]{16}, \d+ steps", first.Output);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public void A_sweep_with_every_guard_passes_and_says_what_it_ran()
    {
        var lines = new List<string>();
        var outcome = DeterministicRuns.Run(seed: 500, seeds: 30, without: null, lines.Add, TestContext.Current.CancellationToken);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Matches(@"^30 seeds \(500 to 529\): 30 passed, 0 failed in [\d.]+ s; \d+ vends, \d+ commands, \d+ meter messages, \d+ alerts \(\d+ resent\), \d+ node crashes\s*$", outcome.Stdout);
        Assert.Equal(10, lines.Count);
        Assert.StartsWith("30/30 seeds, 0 failed", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 0, null, "prepay: --seeds must be 1 to 1000000")]
    [InlineData(null, 5, "ack-after-commit,gate", "prepay: --without: unknown guard 'gate' (known: idempotency-claim, ack-after-commit, command-order, disconnect-gate, alert-claim)")]
    [InlineData(-1L, null, null, "prepay: --seed must be 0 or more")]
    public void Bad_arguments_are_refused_with_one_line_and_nothing_run(long? seed, int? seeds, string? without, string message)
    {
        var outcome = DeterministicRuns.Run(seed, seeds, without, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.Equal(message, outcome.Stderr.TrimEnd());
    }

    [Fact]
    public async Task Fleet_options_do_not_go_with_deterministic()
    {
        using var run = new PrepayProcess("simulate", "--deterministic", "--meters", "5");
        Assert.Equal(2, await run.ExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("prepay: --meters does not go with --deterministic (it takes --seeds, --seed and --without)", run.Output.Trim());
    }
}
