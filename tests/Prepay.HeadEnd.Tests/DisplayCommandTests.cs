using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// A display (<c>showBalance</c>) holds nothing back (<see cref="DisplayCommands"/>): a newer one withdraws an older one
/// not yet acknowledged, and a disconnection queued behind an unacknowledged display goes out at once, withdrawing it.
/// What a meter reports displaying is kept with its status.
/// </summary>
public abstract class DisplayCommandTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_newer_balance_supersedes_an_unacknowledged_one_and_a_disconnect_behind_it_is_not_held_back()
    {
        var s = await CreateAsync(server, mode: "smart");
        var meterId = await MeterIdAsync(s.MeterNumber);
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var meter = new MeterPeer(s.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await meter.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(s.MeterNumber)));
        await meter.SubscribeAsync();
        var dispatcher = server.Services.GetRequiredService<CommandDispatcher>();

        await QueueAsync(meterId, s.MeterNumber, Balance(9_000));
        dispatcher.Wake();
        await LoopHarness.EventuallyAsync(() => Task.FromResult(meter.Commands.Count == 1), "the first balance arrives");

        // The meter never answers it; a newer balance withdraws it and goes out in its place.
        await QueueAsync(meterId, s.MeterNumber, Balance(8_500));
        dispatcher.Wake();
        await LoopHarness.EventuallyAsync(() => Task.FromResult(meter.Commands.Count == 2), "the newer balance arrives");
        Assert.Equal(["showBalance", "showBalance"], meter.Commands.Select(c => c.Type));
        Assert.Equal(8_500, meter.Commands.Last().Args!.Value.GetProperty("balanceMinor").GetInt64());
        Assert.Equal([(CommandState.Cancelled, DisplayCommands.SupersededByNewer), (CommandState.Sent, null)],
            (await CommandsAsync(s.MeterNumber)).Select(c => (c.State, c.Outcome)));

        // A disconnection queued behind the unacknowledged balance goes at once; the balance is withdrawn.
        await QueueAsync(meterId, s.MeterNumber, new Disconnect());
        dispatcher.Wake();
        await LoopHarness.EventuallyAsync(() => Task.FromResult(meter.Commands.Count == 3), "the disconnection arrives");
        Assert.Equal("disconnect", meter.Commands.Last().Type);
        Assert.Equal(3, meter.Commands.Last().Seq);
        Assert.Equal([(CommandState.Cancelled, DisplayCommands.SupersededByNewer), (CommandState.Cancelled, DisplayCommands.SupersededByLater), (CommandState.Sent, null)],
            (await CommandsAsync(s.MeterNumber)).Select(c => (c.State, c.Outcome)));

        // Only displays supersede.
        await using var scope = server.Scope();
        await Assert.ThrowsAsync<ArgumentException>(() => CommandQueue.EnqueueSupersedingAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(),
            meterId, s.MeterNumber, new Connect(), server.Clock.GetCurrentInstant(), null, null, Ct));
    }

    [Fact]
    public async Task What_a_meter_reports_displaying_is_kept_and_a_status_without_it_keeps_it()
    {
        var s = await CreateAsync(server, mode: "smart");
        var meterId = await MeterIdAsync(s.MeterNumber);
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var meter = new MeterPeer(s.MeterNumber);
        await meter.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(s.MeterNumber));
        var asOf = server.Clock.GetCurrentInstant().ToDateTimeOffset();

        await meter.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 5_000, 10_000, asOf, null, -250, "ZAR", asOf));
        await LoopHarness.EventuallyAsync(async () => (await StatusAsync(meterId))?.DisplayedBalanceMinor == -250, "the displayed balance is stored");
        await meter.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 4_000, 11_000, asOf, null));
        await LoopHarness.EventuallyAsync(async () => (await StatusAsync(meterId))?.CreditWh == 4_000, "the next status is stored");

        var status = (await StatusAsync(meterId))!;
        Assert.Equal((-250L, "ZAR", (Instant?)Instant.FromDateTimeOffset(asOf)), (status.DisplayedBalanceMinor!.Value, status.DisplayedBalanceCurrency, status.DisplayedBalanceAt));
    }

    private ShowBalance Balance(long minor) => new(new Money(minor, Currency.ZAR), server.Clock.GetCurrentInstant());

    private async Task QueueAsync(Guid meterId, string number, MeterCommand command)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        await using var tx = await db.BeginWriteAsync(Ct);
        var now = server.Clock.GetCurrentInstant();
        if (command is ShowBalance)
        {
            await CommandQueue.EnqueueSupersedingAsync(db, meterId, number, command, now, "display", null, Ct);
        }
        else
        {
            CommandQueue.Enqueue(db, meterId, number, command, now, "test");
        }
        await db.SaveChangesAsync(Ct);
        await tx.CommitAsync(Ct);
    }

    private async Task<Guid> MeterIdAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<MeterStatusRecord?> StatusAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterStatus.AsNoTracking().FirstOrDefaultAsync(m => m.MeterId == meterId, Ct);
    }

    private async Task<List<MeterCommandRecord>> CommandsAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.AsNoTracking()
            .Where(c => c.MeterNumber == number).OrderBy(c => c.Seq).ToListAsync(Ct);
    }
}

public sealed class DisplayCommandSqliteTests(SqliteServer server) : DisplayCommandTests(server), IClassFixture<SqliteServer>;

public sealed class DisplayCommandPostgresTests(PostgresServer server) : DisplayCommandTests(server), IClassFixture<PostgresServer>;
