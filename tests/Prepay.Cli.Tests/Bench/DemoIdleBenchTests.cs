using System.Text.Json.Nodes;

namespace Prepay.Cli.Tests.Bench;

/// <summary><c>prepay bench demo-idle</c> run as a user runs it, short: two real demos, measured.</summary>
public sealed class DemoIdleBenchTests
{
    [Fact]
    public async Task Measures_the_demo_with_its_meters_and_the_server_alone_in_the_same_run()
    {
        using var bench = new PrepayProcess("bench", "demo-idle", "--meters", "10", "--warmup", "1", "--duration", "2", "--json");
        Assert.True(await bench.ExitAsync(TimeSpan.FromMinutes(5)) == 0, bench.Output);

        var line = bench.Output.Split('\n').Single(l => l.StartsWith('{'));
        var report = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(10, report["meters"]!.GetValue<int>());
        // Both demos ran and used some CPU (a demo that did not start exits 1 instead).
        Assert.InRange(report["demoCores"]!.GetValue<double>(), 0.0001, Environment.ProcessorCount);
        Assert.InRange(report["serverAloneCores"]!.GetValue<double>(), 0.0001, Environment.ProcessorCount);
        Assert.Equal(0.15, report["aimCores"]!.GetValue<double>());
        Assert.Equal(report["demoCores"]!.GetValue<double>() < 0.15, report["met"]!.GetValue<bool>());
    }
}
