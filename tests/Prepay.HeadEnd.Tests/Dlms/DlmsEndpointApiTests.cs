using System.Net;
using System.Net.Http.Json;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>
/// Where a DLMS meter is reached is kept with the meter (<c>PUT /api/v1/meters/{n}/dlms</c>) and shown in its answer;
/// each field is checked, and a wrong one is refused by name with nothing written. No key goes through here.
/// </summary>
public abstract class DlmsEndpointApiTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_dlms_endpoint_is_shown_with_the_meter_and_a_wrong_field_is_refused_by_name_with_nothing_written()
    {
        var scenario = await CreateAsync(server, mode: "smart", stsDecoder: true);
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{scenario.MeterNumber}/dlms", new { host = "meter-7.example.net", port = 4059, systemTitle = "4d4d4d0000000007" }, Ct));
        var shown = (await Ok(await admin.GetAsync($"/api/v1/meters/{scenario.MeterNumber}", Ct)))["dlms"]!;
        Assert.Equal("meter-7.example.net", shown["host"]!.GetValue<string>());
        Assert.Equal(4059, shown["port"]!.GetValue<int>());
        Assert.Equal(1, shown["clientAddress"]!.GetValue<int>());
        Assert.Equal("high-gmac", shown["authentication"]!.GetValue<string>());
        Assert.Equal("4D4D4D0000000007", shown["systemTitle"]!.GetValue<string>());

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { host = "10.0.0.9", port = 0 }, "port"),
            (new { host = "10.0.0.9", authentication = "password" }, "authentication"),
            (new { host = "", port = 4059 }, "host"),
            (new { host = "10.0.0.9", systemTitle = "XYZ" }, "systemTitle"),
            (new { host = "10.0.0.9", clientAddress = 70000 }, "clientAddress"),
        })
        {
            using var refused = await admin.PutAsJsonAsync($"/api/v1/meters/{scenario.MeterNumber}/dlms", body, Ct);
            var text = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
        }
        Assert.Equal("meter-7.example.net", (await Ok(await admin.GetAsync($"/api/v1/meters/{scenario.MeterNumber}", Ct)))["dlms"]!["host"]!.GetValue<string>());
        using var missing = await admin.PutAsJsonAsync("/api/v1/meters/NO-SUCH-METER/dlms", new { host = "10.0.0.9" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

public sealed class DlmsEndpointApiSqliteTests(SqliteServer server) : DlmsEndpointApiTests(server), IClassFixture<SqliteServer>;

public sealed class DlmsEndpointApiPostgresTests(PostgresServer server) : DlmsEndpointApiTests(server), IClassFixture<PostgresServer>;
