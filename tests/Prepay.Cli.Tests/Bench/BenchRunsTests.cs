using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

/// <summary>
/// The connections and top-up benches end to end at a small scale: what they count, never how fast (performance is
/// the benches' own business). One class, so the two do not load the machine at once.
/// </summary>
public class BenchRunsTests
{
    [Fact]
    public async Task Twenty_meters_connect_stay_connected_and_get_their_command_beside_twenty_plain_connections()
    {
        var settings = new ConnectionsSettings { Meters = 20, Hold = TimeSpan.FromSeconds(3), Heartbeat = TimeSpan.FromSeconds(1) };

        var report = await ConnectionsBench.RunAsync(settings, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.True(report.Passed, string.Join("; ", report.Problems));
        var mqtt = Assert.IsType<MqttConnectionsResult>(report.Mqtt);
        Assert.Equal(20, mqtt.Established);
        Assert.Equal(20, mqtt.UpAtEnd);
        Assert.Equal(20, mqtt.BrokerUpAtEnd);
        Assert.Equal(10, mqtt.CommandsSent);
        Assert.Equal(10, mqtt.CommandsDelivered);
        Assert.True(mqtt.HeartbeatsSent > 0, "no heartbeat was acknowledged");
        Assert.Equal(0, mqtt.HeartbeatsFailed);
        var tcp = Assert.IsType<TcpReferenceResult>(report.Tcp);
        Assert.Equal(20, tcp.Established);
        Assert.Equal(20, tcp.UpAtEnd);
        Assert.NotNull(report.ConnectRateRatio);
    }

    [Fact]
    public async Task Five_top_ups_close_five_run_down_meters_relays_and_five_bare_publishes_arrive()
    {
        var settings = new TopUpSettings { Meters = 30, TopUps = 5, Rate = 5 };

        var report = await TopUpBench.RunAsync(settings, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.True(report.Passed, string.Join("; ", report.Problems.Concat(report.ErrorSamples)));
        Assert.Equal(15, report.Drained);
        Assert.Equal(5, report.Measured);
        Assert.Equal(5, report.ToRelayClosed.Samples);
        Assert.Equal(5, report.Http.Samples);
        Assert.Equal(5, report.Publish.Samples);
        Assert.Equal(0, report.NeverClosed);
        Assert.Equal(0, report.HttpErrors);
        Assert.Equal(0, report.PublishesLost);
    }
}
