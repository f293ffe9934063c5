namespace Prepay.Simulation.Tests;

/// <summary>
/// Each guard switched off is caught by the invariant it keeps, within a few hundred seeds, and the command the
/// failure prints replays it exactly: the same invariant, at the same step, after the same events.
/// </summary>
public sealed class GuardTests
{
    public static TheoryData<string, string> GuardsAndInvariants => new()
    {
        { "idempotency-claim", "credit-sold-once" },
        { "ack-after-commit", "no-message-lost" },
        { "command-order", "command-order" },
        { "disconnect-gate", "policy-allows-cut" },
        { "alert-claim", "alert-sent-once" },
    };

    [Theory]
    [MemberData(nameof(GuardsAndInvariants))]
    public void A_guard_switched_off_is_caught_and_its_seed_replays_it(string guard, string invariant)
    {
        var off = GuardNames.Parse(guard, out _)!.Value;
        SimulationResult? failure = null;
        for (var seed = 1; seed <= 400 && failure is null; seed++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var result = Simulation.Run(new SimulationOptions { Seed = seed, Guards = Guards.All & ~off });
            failure = result.Passed ? null : result;
        }

        Assert.NotNull(failure);
        Assert.Equal(invariant, failure.Invariant);
        Assert.Equal($"prepay simulate --deterministic --seed {failure.Seed} --without {guard}", failure.Options.ReplayCommand);
        Assert.Contains(failure.Options.ReplayCommand, failure.Describe(), StringComparison.Ordinal);

        var replay = Simulation.Run(Parse(failure.Options.ReplayCommand));
        Assert.Equal((failure.Invariant, failure.Detail, failure.Steps, failure.Trace), (replay.Invariant, replay.Detail, replay.Steps, replay.Trace));
        // With the guard back, the same seed's world keeps every invariant: the guard was what stood in the way.
        Assert.True(Simulation.Run(new SimulationOptions { Seed = failure.Seed }).Passed);
    }

    [Fact]
    public void Guard_names_read_back_and_an_unknown_one_is_named()
    {
        Assert.Equal(Guards.AckAfterCommit | Guards.AlertClaim, GuardNames.Parse("alert-claim, ack-after-commit", out var none));
        Assert.Null(none);
        Assert.Equal("ack-after-commit,alert-claim", GuardNames.Format(Guards.AckAfterCommit | Guards.AlertClaim));
        Assert.Null(GuardNames.Parse("ack-after-commit,no-such-guard", out var problem));
        Assert.Equal("unknown guard 'no-such-guard' (known: idempotency-claim, ack-after-commit, command-order, disconnect-gate, alert-claim)", problem);
        Assert.Equal("prepay simulate --deterministic --seed 9", new SimulationOptions { Seed = 9 }.ReplayCommand);
    }

    // The replay command's own words, read as the command line would.
    private static SimulationOptions Parse(string command)
    {
        var words = command.Split(' ');
        var seed = long.Parse(words[Array.IndexOf(words, "--seed") + 1], System.Globalization.CultureInfo.InvariantCulture);
        var without = Array.IndexOf(words, "--without") is var i and >= 0 ? GuardNames.Parse(words[i + 1], out _)!.Value : Guards.None;
        return new SimulationOptions { Seed = seed, Guards = Guards.All & ~without };
    }
}
