using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// Each meter records how the head-end reaches it (mqtt, the default, or dlms), set through the API, and the dispatcher
/// sends a meter's commands through that transport only: with none running for it here they wait, queued.
/// </summary>
public abstract class MeterTransportTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<MeterCommandRecord> CommandAsync(Guid id)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    /// <summary>
    /// The command after dispatch rounds until <paramref name="done"/>: the server's own dispatcher runs beside the
    /// test's rounds, and on PostgreSQL a row it holds is skipped (SKIP LOCKED), so the test's round alone proves nothing.
    /// </summary>
    private async Task<MeterCommandRecord> AfterDispatchAsync(Guid id, Func<MeterCommandRecord, bool> done)
    {
        var dispatcher = server.Services.GetRequiredService<CommandDispatcher>();
        for (var round = 0; ; round++)
        {
            await dispatcher.DispatchOnceAsync(Ct);
            var command = await CommandAsync(id);
            if (done(command) || round == 50)
            {
                return command;
            }
            await Task.Delay(20, Ct);
        }
    }

    private async Task<Guid> QueueAsync(string meterNumber, MeterCommand command)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meterId = await db.Meters.Where(m => m.MeterNumber == meterNumber).Select(m => m.Id).SingleAsync(Ct);
        var queued = CommandQueue.Enqueue(db, meterId, meterNumber, command, server.Clock.GetCurrentInstant(), "test");
        await db.SaveChangesAsync(Ct);
        return queued.Id;
    }

    [Fact]
    public async Task A_meter_is_registered_with_its_transport_and_an_unknown_one_is_refused_with_nothing_written()
    {
        using var admin = server.Client();
        var number = "T" + Guid.NewGuid().ToString("N")[..10];
        var created = await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = number, mode = "smart", currency = "ZAR", transport = "dlms" }, Ct));
        Assert.Equal("dlms", created["transport"]!.GetValue<string>());
        Assert.Equal("dlms", (await Ok(await admin.GetAsync($"/api/v1/meters/{number}", Ct)))["transport"]!.GetValue<string>());

        var plain = "T" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal("mqtt", (await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = plain, mode = "smart", currency = "ZAR" }, Ct)))["transport"]!.GetValue<string>());

        var unknown = "T" + Guid.NewGuid().ToString("N")[..10];
        using (var refused = await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = unknown, mode = "smart", currency = "ZAR", transport = "zigbee" }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("transport", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using (var missing = await admin.GetAsync($"/api/v1/meters/{unknown}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.Equal("mqtt", (await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{number}/transport", new { transport = "mqtt" }, Ct)))["transport"]!.GetValue<string>());
        using (var refused = await admin.PutAsJsonAsync($"/api/v1/meters/{number}/transport", new { transport = "DLMS" }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal("mqtt", (await Ok(await admin.GetAsync($"/api/v1/meters/{number}", Ct)))["transport"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dlms_meters_commands_stay_queued_while_no_dlms_transport_runs_and_go_when_it_is_an_mqtt_meter_again()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/transport", new { transport = "dlms" }, Ct));
        var id = await QueueAsync(s.MeterNumber, new Disconnect());

        var now = server.Clock.GetCurrentInstant();
        var waiting = await AfterDispatchAsync(id, c => c.NextAttemptAt > now);
        Assert.True(waiting.NextAttemptAt > now, "put off, so that it does not come back every round");
        Assert.Equal(CommandState.Queued, waiting.State);
        Assert.Equal(0, waiting.Attempts);
        Assert.Null(waiting.Outcome);

        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/transport", new { transport = "mqtt" }, Ct));
        server.Clock.AdvanceMinutes(6);
        var sent = await AfterDispatchAsync(id, c => c.State != CommandState.Queued);
        Assert.Equal(CommandState.Sent, sent.State);
        Assert.Equal(1, sent.Attempts);
        Assert.Empty(server.Logs.Errors);
    }

    [Fact]
    public async Task Setting_the_clock_of_an_mqtt_meter_fails_as_unsupported_and_holds_back_nothing_after_it()
    {
        var s = await CreateAsync(server, mode: "smart");
        var clock = await QueueAsync(s.MeterNumber, new SetClock(server.Clock.GetCurrentInstant()));
        var read = await QueueAsync(s.MeterNumber, new ReadNow());

        var failed = await AfterDispatchAsync(clock, c => c.State != CommandState.Queued);
        Assert.Equal(CommandState.Failed, failed.State);
        Assert.Equal("unsupported: the mqtt transport cannot carry setClock", failed.Outcome);
        Assert.Equal(CommandState.Sent, (await AfterDispatchAsync(read, c => c.State != CommandState.Queued)).State);
    }
}

/// <summary>
/// Servers that run no DLMS transport (<c>Dlms:Enabled=false</c>): these tests are about the dispatcher's rule for a
/// meter whose transport does not run here, and DLMS is the transport left out.
/// </summary>
public sealed class NoDlmsSqliteServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Dlms:Enabled"] = "false" };
}

public sealed class NoDlmsPostgresServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Dlms:Enabled"] = "false" };
}

public sealed class MeterTransportSqliteTests(NoDlmsSqliteServer server) : MeterTransportTests(server), IClassFixture<NoDlmsSqliteServer>;

public sealed class MeterTransportPostgresTests(NoDlmsPostgresServer server) : MeterTransportTests(server), IClassFixture<NoDlmsPostgresServer>;
