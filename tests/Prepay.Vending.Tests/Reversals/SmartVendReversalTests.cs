using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.HeadEnd.Commands;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Reversals;

/// <summary>
/// Reversing a smart meter's vend: its credit command is withdrawn with the money while it is still queued, and the
/// reversal is refused once the command has gone to the meter (which may have applied it). The class's server has
/// its command dispatcher stopped where a test needs a command to stay queued.
/// </summary>
public abstract class SmartVendReversalTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Scenario S, string VendId)> SmartVendAsync()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        return (s, vend["id"]!.GetValue<string>());
    }

    private async Task<MeterCommandRecord> CommandAsync(string vendId)
    {
        await using var scope = server.Scope();
        var reference = $"vend {Guid.Parse(vendId):N}";
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.AsNoTracking().SingleAsync(c => c.Reference == reference, Ct);
    }

    private async Task<HttpResponseMessage> ReverseAsync(string vendId)
    {
        using var admin = server.Client();
        return await admin.PostAsJsonAsync($"/api/v1/vends/{vendId}/reversal", new { reason = "sold to the wrong meter" }, Ct);
    }

    [Fact]
    public async Task A_smart_vend_whose_credit_has_gone_to_the_meter_is_not_reversed_and_nothing_is_written()
    {
        var (_, vendId) = await SmartVendAsync();
        // The dispatcher sends it (the meter is not connected: it stays sent, waiting for the acknowledgement).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await CommandAsync(vendId)).State == CommandState.Queued)
        {
            Assert.True(DateTime.UtcNow < deadline, "the dispatcher never sent the credit command");
            await server.Services.GetRequiredService<CommandDispatcher>().DispatchOnceAsync(Ct);
        }
        await using var before = server.Scope();
        var reversalsBefore = await before.ServiceProvider.GetRequiredService<PrepayDb>().VendReversals.CountAsync(Ct);

        var refused = await ReverseAsync(vendId);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("credit-sent-to-meter", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await using var after = server.Scope();
        var db = after.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(reversalsBefore, await db.VendReversals.CountAsync(Ct));
        Assert.Equal(CommandState.Sent, (await CommandAsync(vendId)).State);
        Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
    }

    [Fact]
    public async Task A_smart_vend_reversed_while_its_credit_is_still_queued_withdraws_the_command_with_the_money()
    {
        var dispatcher = server.Services.GetRequiredService<CommandDispatcher>();
        await dispatcher.StopAsync(Ct);
        try
        {
            var (_, vendId) = await SmartVendAsync();
            Assert.Equal(CommandState.Queued, (await CommandAsync(vendId)).State);

            var reversed = await ReverseAsync(vendId);
            Assert.Equal(HttpStatusCode.Created, reversed.StatusCode);
            var command = await CommandAsync(vendId);
            Assert.Equal((CommandState.Cancelled, "cancelled: vend reversed"), (command.State, command.Outcome));
            // A dispatch round now sends nothing of it.
            await dispatcher.DispatchOnceAsync(Ct);
            Assert.Equal(CommandState.Cancelled, (await CommandAsync(vendId)).State);
        }
        finally
        {
            await dispatcher.StartAsync(Ct);
        }
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_sales_reversals_management_tokens_and_the_audit_log()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        // A token vend's reversal waits for a second admin, who approves it.
        var requested = await ReverseAsync(vend["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        await ApproveAsync(server, await Json(requested));
        using var admin = server.Client();
        using var token = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/meters/{s.MeterNumber}/tokens") { Content = JsonContent.Create(new { kind = "clearTamper", reason = "test" }) };
        token.Headers.Add("Idempotency-Key", "tamper-" + s.Suffix);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(token, Ct)).StatusCode);

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        foreach (var (table, column) in new[] { ("audit", "details"), ("vends", "channel"), ("vend_reversals", "reason"), ("management_tokens", "reason") })
        {
            // Table and column names from the list above, not input: built as text on purpose.
            string updateSql = "UPDATE " + table + " SET " + column + " = 'changed'", deleteSql = "DELETE FROM " + table;
            var update = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(updateSql, Ct));
            Assert.Contains("insert-only", update.Message + update.InnerException?.Message, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(deleteSql, Ct));
            string countSql = "SELECT COUNT(*) AS \"Value\" FROM " + table;
            Assert.True(await db.Database.SqlQueryRaw<int>(countSql).SingleAsync(Ct) > 0, table);
        }
    }
}

public sealed class SmartVendReversalSqliteTests(SqliteServer server) : SmartVendReversalTests(server), IClassFixture<SqliteServer>;

public sealed class SmartVendReversalPostgresTests(PostgresServer server) : SmartVendReversalTests(server), IClassFixture<PostgresServer>;
