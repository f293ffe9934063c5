using Prepay.Simulator.Fleet;
using Prepay.Testing;

namespace Prepay.Server.Tests.Http;

/// <summary>The simulator's HTTP client against a server limiting it to 2 requests a second (bursts of 3).</summary>
public sealed class SimulatorClientTests(LowRateLimitServer server) : IClassFixture<LowRateLimitServer>
{
    [Fact]
    public async Task The_simulators_client_waits_out_429s_instead_of_failing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new PrepayApi(server.BaseAddress, ServerFixture.AdminKey);
        // Eight calls in a row exceed the burst; without waiting out the 429s the fifth or so would throw.
        for (var i = 0; i < 8; i++)
        {
            var created = await api.SendAsync(HttpMethod.Post, "/api/v1/customers", new { name = $"Rate limited {i}" }, ct);
            Assert.NotNull(created?["id"]);
        }
    }
}
