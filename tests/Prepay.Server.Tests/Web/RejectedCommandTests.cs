using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Server.Tests.Fuzz;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Server.Tests.Web;

/// <summary>
/// A command the meter refuses, with its reason, is failed wherever an operator looks: in the API and on the console's
/// meter page, never shown as done.
/// </summary>
public abstract class RejectedCommandTests(FuzzServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_disconnect_the_meter_rejects_with_a_reason_is_failed_in_the_api_and_on_the_console()
    {
        var seeded = await server.SeededAsync();
        string meterNumber;
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            meterNumber = await db.Meters.Where(m => m.Mode == MeterMode.Smart).OrderBy(m => m.MeterNumber).Select(m => m.MeterNumber).FirstAsync(Ct);
        }
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var meter = new MeterPeer(meterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await meter.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(meterNumber)));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await meter.SubscribeAsync());

        using var api = server.Client(seeded.Keys.Operator);
        using var created = await api.PostAsJsonAsync($"/api/v1/meters/{meterNumber}/commands", new { type = "disconnect", reason = "tamper investigation" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<Guid>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!meter.Commands.Any(c => c.CommandId == id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Contains(meter.Commands, c => c.CommandId == id);

        await meter.PublishAsync(Topics.Acks, new AckMessage(id, "rejected", "relay-fault: contacts welded", DateTimeOffset.UnixEpoch));
        JsonObject row;
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var listed = await api.GetFromJsonAsync<JsonArray>($"/api/v1/meters/{meterNumber}/commands", Ct);
            row = listed!.Single(c => c!["id"]!.GetValue<Guid>() == id)!.AsObject();
            if (row["state"]!.GetValue<string>() is not ("queued" or "sent") || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(50, Ct);
        }
        Assert.Equal("failed", row["state"]!.GetValue<string>());
        Assert.Equal("rejected: relay-fault: contacts welded", row["outcome"]!.GetValue<string>());

        var (browser, _) = await server.BrowserAsync(seeded.Logins.Operator, "/console");
        using (browser)
        {
            var html = await browser.GetStringAsync($"/console/meters/{meterNumber}", Ct);
            var commands = html[html.IndexOf("id=\"commands\"", StringComparison.Ordinal)..];
            Assert.Contains("<td>disconnect</td><td>Failed</td><td>1</td><td>rejected: relay-fault: contacts welded</td>", commands, StringComparison.Ordinal);
            Assert.Contains("<dd id=\"meter-transport\">MQTT</dd>", html, StringComparison.Ordinal);
        }
    }
}

public sealed class SqliteRejectedCommandTests(SqliteFuzzServer server) : RejectedCommandTests(server), IClassFixture<SqliteFuzzServer>;

public sealed class PostgresRejectedCommandTests(PostgresFuzzServer server) : RejectedCommandTests(server), IClassFixture<PostgresFuzzServer>;
