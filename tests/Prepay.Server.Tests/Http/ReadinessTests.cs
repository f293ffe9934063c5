using System.Net;
using System.Text.Json.Nodes;
using Prepay.Testing;

namespace Prepay.Server.Tests.Http;

/// <summary>A server whose MQTT broker is an external one that does not answer (a free loopback port).</summary>
public sealed class UnreachableBrokerServer : ServerFixture
{
    public override Prepay.Storage.DatabaseProvider Provider => Prepay.Storage.DatabaseProvider.Sqlite;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mqtt:Embedded"] = "false",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A node whose head-end cannot reach its broker is alive but not ready: commands cannot leave it.</summary>
public sealed class ReadinessTests(UnreachableBrokerServer server) : IClassFixture<UnreachableBrokerServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_its_broker_a_node_is_live_but_not_ready_and_says_why()
    {
        using var anonymous = server.Client(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live", Ct)).StatusCode);
        var ready = await anonymous.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var problem = JsonNode.Parse(await ready.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("urn:prepay:problem:not-ready", problem["type"]!.GetValue<string>());
        Assert.Equal("MQTT broker unreachable", problem["title"]!.GetValue<string>());
    }
}
