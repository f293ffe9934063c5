using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Meter.Registers;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Loop;

/// <summary>
/// A disconnection policy's rules queued for a meter that holds its own credit reach it over MQTT, are acknowledged,
/// and then decide its own cut: at zero credit inside the pushed window it keeps supplying, after the window it cuts.
/// </summary>
public abstract class CreditPolicyLoopTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The virtual meter's own zone (MeterConfiguration.ZoneId's default): the window is in its local time.
    private static readonly DateTimeZone MeterZone = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    [Fact]
    public async Task A_queued_credit_policy_reaches_the_meter_is_acknowledged_and_keeps_supply_at_zero_credit_inside_its_window()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync(initialCreditWh: 200);
        Assert.Equal(RelayState.Connected, await agent.ReadAsync(m => m.Relay, Ct));

        // A window of today (the meter's local day) from the start of this hour, for a whole day.
        var local = server.Clock.GetCurrentInstant().InZone(MeterZone).LocalDateTime;
        var window = new WeeklyWindow(local.DayOfWeek, new LocalTime(local.Hour, 0), 1440);
        var windowEnds = (local.Date + window.Start).PlusMinutes(window.Minutes).InZoneStrictly(MeterZone).ToInstant();
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var meterId = await db.Meters.Where(m => m.MeterNumber == agent.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
            CommandQueue.Enqueue(db, meterId, agent.MeterNumber, new SetCreditPolicy("IN-UPPCL", 1, [window], [new LocalDate(2027, 1, 26)], Protected: false),
                server.Clock.GetCurrentInstant(), "test: credit policy");
            await db.SaveChangesAsync(Ct);
        }
        server.Services.GetRequiredService<CommandDispatcher>().Wake();

        await LoopHarness.EventuallyAsync(async () => (await loop.ServerCommandsAsync()).SingleOrDefault()?["state"]?.GetValue<string>() == "acknowledged",
            "the credit policy is acknowledged");
        Assert.Equal("applied", (await loop.ServerCommandsAsync()).Single()!["outcome"]!.GetValue<string>());
        Assert.Equal([window.Minutes], await agent.ReadAsync(m => m.Policy.FriendlyHours.WeeklyWindows.Select(w => w.Minutes).ToList(), Ct));

        // Up to an hour before the window ends: credit runs out, the meter keeps supplying.
        await loop.RunUntilAsync(agent, m => m.Relay == RelayState.Disconnected, windowEnds - server.Clock.GetCurrentInstant() - Duration.FromHours(1));
        Assert.True(await agent.ReadAsync(m => m.CreditWh, Ct) < 0, "credit ran out inside the window");
        Assert.Equal(RelayState.Connected, await agent.ReadAsync(m => m.Relay, Ct));

        // Past the window's end the meter cuts itself.
        await loop.RunUntilAsync(agent, m => m.Relay == RelayState.Disconnected, Duration.FromHours(3));
        Assert.Equal(RelayState.Disconnected, await agent.ReadAsync(m => m.Relay, Ct));
        Assert.True(server.Clock.GetCurrentInstant() >= windowEnds);
    }
}

public sealed class CreditPolicyLoopSqliteTests(SqliteServer server) : CreditPolicyLoopTests(server), IClassFixture<SqliteServer>;

public sealed class CreditPolicyLoopPostgresTests(PostgresServer server) : CreditPolicyLoopTests(server), IClassFixture<PostgresServer>;
