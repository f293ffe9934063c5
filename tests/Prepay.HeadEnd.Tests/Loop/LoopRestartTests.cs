using NodaTime;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Loop;

/// <summary>A command queued when the server stops is delivered by the next server on the same database, once.</summary>
public abstract class LoopRestartTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_command_queued_before_a_server_restart_is_delivered_once_by_the_new_server()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        var (sold, _) = await loop.VendAsync("10.00");
        await server.RestartAsync();

        await using var agent = await loop.AgentAsync(initialCreditWh: 2_000);
        server.Clock.Advance(Duration.FromMinutes(1)); // the first attempt's back-off is over
        await loop.EventuallyAsync(() => agent.AddCreditsApplied == 1, "the new server delivers the command", seconds: 15);
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerCommandsAsync()).Single()!["state"]!.GetValue<string>() == "acknowledged", "the acknowledgement is recorded");

        server.Clock.Advance(Duration.FromMinutes(10));
        await Task.Delay(1_500, Ct);
        Assert.Equal(1, agent.AddCreditsApplied);
        Assert.Single(agent.Acks);
        Assert.Equal(2_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));
    }
}

public sealed class LoopRestartSqliteTests(SqliteServer server) : LoopRestartTests(server), IClassFixture<SqliteServer>;

public sealed class LoopRestartPostgresTests(PostgresServer server) : LoopRestartTests(server), IClassFixture<PostgresServer>;
