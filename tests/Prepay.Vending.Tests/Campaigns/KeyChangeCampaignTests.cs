using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Simulator.Agents;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using Prepay.Testing;
using Prepay.Vending.Campaigns;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Campaigns;

/// <summary>
/// A key change campaign over 50 meters of one site, 35 keypad meters (decoders held by the test, as the meters on
/// the wall) and 15 smart meters with keypad decoders on real MQTT: progress exact at each step, the meters that
/// missed it listed, every token made after the move accepted and none made before it.
/// </summary>
public abstract class KeyChangeCampaignTests(ServerFixture server)
{
    // Scenario's meters: SGC 123457, TI 1, KRN 1, KT 2, EA07, base date 2014.
    private const int Sgc = 123457;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MeterDecoder KeypadMeter(string number)
    {
        using var dkga02 = new Dkga02(VendingKey.ParseHex(ServerFixture.TestVendingKeyHex));
        var key = dkga02.Derive(KeyDerivationInput.Create(Sgc, 1, 1, 2, PrimaryAccountNumber.ForDecoderReference(number)));
        return new MeterDecoder(new MeterState
        {
            DecoderKey = key, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y2014, KeyRevisionNumber = 1, KeyType = 2, TariffIndex = 1, SupplyGroupCode = Sgc,
        });
    }

    private sealed record Fleet(Scenario Site, List<string> Keypad, List<string> Smart);

    private async Task<Fleet> FleetAsync(int keypad, int smart)
    {
        var s = await CreateAsync(server, floatAmount: "100000.00");
        using var admin = server.Client();
        var fleet = new Fleet(s, [s.MeterNumber], []);
        for (int i = 1; i < keypad + smart; i++)
        {
            var unit = $"U-{i:D2}";
            var number = "05" + s.MeterNumber[2..11] + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            bool isSmart = i >= keypad;
            await Ok(await admin.PostAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises", new { label = unit, customerId = s.CustomerId }, Ct));
            await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = number, mode = isSmart ? "smart" : "token", currency = "ZAR", tariffCode = s.TariffCode, sts = isSmart ? new { } : null }, Ct));
            await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{number}/installation", new { site = s.SiteCode, unit }, Ct));
            (isSmart ? fleet.Smart : fleet.Keypad).Add(number);
        }
        return fleet;
    }

    private static Scenario WithMeter(Scenario s, string number) => new()
    {
        Suffix = s.Suffix, SiteCode = s.SiteCode, Unit = s.Unit, MeterNumber = number, VendorCode = s.VendorCode, VendorKey = s.VendorKey,
        CustomerId = s.CustomerId, TariffCode = s.TariffCode,
    };

    private async Task<JsonNode> VendAsync(Scenario s, string meter, string amount = "10.00")
    {
        using var vendor = server.Client(s.VendorKey);
        return await Ok(await vendor.SendAsync(Vend(new { meterNumber = meter, amount, currency = "ZAR" }), Ct));
    }

    private async Task<JsonNode> CampaignAsync(string id)
    {
        using var admin = server.Client();
        return await Ok(await admin.GetAsync($"/api/v1/key-change-campaigns/{id}", Ct));
    }

    private static string Tally(JsonNode tally) =>
        $"planned {tally["planned"]} issued {tally["issued"]} delivered {tally["delivered"]} confirmed {tally["confirmed"]} failed {tally["failed"]}";

    private async Task<string> ProgressAsync(string id) => Tally((await CampaignAsync(id))["total"]!);

    private async Task<HttpResponseMessage> ActAsync(string path, string reason = "field visit: display showed KRN 2")
    {
        using var admin = server.Client();
        return await admin.PostAsJsonAsync($"/api/v1/key-change-campaigns/{path}", new { reason }, Ct);
    }

    private static IEnumerable<string> Tokens(JsonNode vend, string member) =>
        vend[member]?.AsArray().Select(t => t is JsonObject o ? o["token"]!.GetValue<string>() : t!.GetValue<string>()) ?? [];

    private static void Accepts(MeterDecoder meter, string token, string what) =>
        Assert.True(meter.Enter(token).Result == KeypadResult.Accept, what);

    [Fact]
    public async Task Fifty_meters_move_to_a_new_key_revision_with_exact_progress_and_the_ones_that_missed_it_listed()
    {
        var fleet = await FleetAsync(keypad: 35, smart: 15);
        var s = fleet.Site;
        var walls = fleet.Keypad.ToDictionary(n => n, KeypadMeter);

        // Bought before the campaign: k0..k9 keep their token in a drawer, the others type it.
        var drawer = new Dictionary<string, string>();
        foreach (var (n, i) in fleet.Keypad.Select((n, i) => (n, i)))
        {
            var token = (await VendAsync(s, n))["token"]!.GetValue<string>();
            if (i < 10)
            {
                drawer[n] = token;
            }
            else
            {
                Accepts(walls[n], token, $"{n}: a token bought before the campaign");
            }
        }

        // Smart meters online, but for three.
        var loops = fleet.Smart.Select(n => new LoopHarness(server, WithMeter(s, n))).ToList();
        var agents = new List<MqttMeterAgent>();
        foreach (var loop in loops)
        {
            agents.Add(await loop.AgentAsync(initialCreditWh: 1_000));
        }
        var offline = agents.TakeLast(3).ToList();
        foreach (var agent in offline)
        {
            await agent.DropLinkAsync(Ct);
        }

        try
        {
            // Planned for tomorrow: nothing moves yet.
            var start = server.Clock.GetCurrentInstant() + Duration.FromHours(1);
            using var admin = server.Client();
            var plannedResponse = await admin.PostAsJsonAsync("/api/v1/key-change-campaigns", new
            {
                name = "KRN 2 for " + s.SiteCode, reason = "supply group key revision", toKeyRevisionNumber = 2, startsAt = NodaTime.Text.InstantPattern.ExtendedIso.Format(start), site = s.SiteCode,
            }, Ct);
            var planned = await Json(plannedResponse);
            Status(HttpStatusCode.Created, plannedResponse, planned.ToJsonString());
            var id = planned["id"]!.GetValue<string>();
            Assert.Equal("planned 50 issued 0 delivered 0 confirmed 0 failed 0", Tally(planned["total"]!));
            Assert.Equal([$"{s.SiteCode}: planned 50 issued 0 delivered 0 confirmed 0 failed 0"], planned["bySite"]!.AsArray().Select(t => $"{t!["group"]}: {Tally(t)}"));
            Assert.Equal([$"{Sgc}: planned 50 issued 0 delivered 0 confirmed 0 failed 0"], planned["bySupplyGroup"]!.AsArray().Select(t => $"{t!["group"]}: {Tally(t)}"));
            var before = await VendAsync(s, fleet.Keypad[34]);
            Assert.Null(before["keyChangeTokens"]);
            Accepts(walls[fleet.Keypad[34]], before["token"]!.GetValue<string>(), "a vend before the start is made with the old key");
            Assert.Equal(0, await server.Services.GetRequiredService<CampaignDeliveries>().RunDueAsync(Ct));

            // The start: the smart meters are sent their key change; the twelve online take it and report KRN 2.
            server.Clock.Advance(Duration.FromHours(2));
            await server.Services.GetRequiredService<CampaignDeliveries>().RunDueAsync(Ct);
            await LoopHarness.EventuallyAsync(async () => (await ProgressAsync(id)) == "planned 35 issued 3 delivered 0 confirmed 12 failed 0",
                "twelve smart meters confirm, three wait offline");
            foreach (var agent in agents.Except(offline))
            {
                Assert.Equal(2, await agent.ReadAsync(m => m.KeyRevisionNumber, Ct));
            }

            // Keypad meters move with their next vend: k0..k29 buy.
            foreach (var (n, i) in fleet.Keypad.Take(30).Select((n, i) => (n, i)))
            {
                var vend = await VendAsync(s, n);
                var keyChange = Tokens(vend, "keyChangeTokens").ToList();
                Assert.Equal(2, keyChange.Count);
                if (i is >= 5 and < 10)
                {
                    // As the receipt says: the old token first.
                    Accepts(walls[n], drawer[n], $"{n}: the unused old token, entered before the key change");
                }
                foreach (var t in keyChange)
                {
                    Accepts(walls[n], t, $"{n}: key change token");
                }
                Accepts(walls[n], vend["token"]!.GetValue<string>(), $"{n}: the first token made with the new key");
                Assert.Equal(2, walls[n].State.KeyRevisionNumber);
                if (i < 5)
                {
                    // Not entered in time: a token made with the old key no longer works once the meter has moved.
                    Assert.Equal(KeypadResult.Reject, walls[n].Enter(drawer[n]).Result);
                }
            }
            Assert.Equal("planned 5 issued 33 delivered 0 confirmed 12 failed 0", await ProgressAsync(id));

            // Field agents confirm 25 keypad meters; a planned one cannot be confirmed.
            foreach (var n in fleet.Keypad.Take(25))
            {
                Assert.Equal(HttpStatusCode.OK, (await ActAsync($"{id}/meters/{n}/confirm")).StatusCode);
            }
            Assert.Equal(HttpStatusCode.Conflict, (await ActAsync($"{id}/meters/{fleet.Keypad[30]}/confirm")).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await ActAsync($"{id}/meters/{fleet.Keypad[0]}/confirm")).StatusCode);
            Assert.Equal("planned 5 issued 8 delivered 0 confirmed 37 failed 0", await ProgressAsync(id));

            // Who is still to visit: the three offline smart meters, five keypad meters issued, five not yet.
            var csv = await admin.GetStringAsync($"/api/v1/key-change-campaigns/{id}/still-to-visit.csv", Ct);
            var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("meter,site,supply_group,kind,state", rows[0], StringComparison.Ordinal);
            string[] expected = [.. fleet.Smart.TakeLast(3), .. fleet.Keypad.Skip(25)];
            Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Skip(1).Select(r => r.Split(',')[0]).Order(StringComparer.Ordinal));

            // Paused: a vend carries no key change; resumed: the next does.
            Assert.Equal(HttpStatusCode.OK, (await ActAsync($"{id}/pause", "the key change tokens confuse customers this week")).StatusCode);
            Assert.Equal("paused", (await CampaignAsync(id))["state"]!.GetValue<string>());
            var whilePaused = await VendAsync(s, fleet.Keypad[30]);
            Assert.Null(whilePaused["keyChangeTokens"]);
            Accepts(walls[fleet.Keypad[30]], whilePaused["token"]!.GetValue<string>(), "paused: the old key still");
            Assert.Equal(HttpStatusCode.Conflict, (await ActAsync($"{id}/pause")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await ActAsync($"{id}/resume", "leaflets delivered")).StatusCode);
            var resumed = await VendAsync(s, fleet.Keypad[30]);
            Assert.Equal(2, Tokens(resumed, "keyChangeTokens").Count());
            Assert.Equal("planned 4 issued 9 delivered 0 confirmed 37 failed 0", await ProgressAsync(id));

            // The offline smart meters come back and take theirs.
            foreach (var agent in offline)
            {
                await agent.ConnectAsync(Ct);
            }
            await LoopHarness.EventuallyAsync(async () => (await ProgressAsync(id)) == "planned 4 issued 6 delivered 0 confirmed 40 failed 0", "the late smart meters confirm");

            // After the move, a smart meter's top-up is made with the new key and its meter takes it.
            var smartVend = await VendAsync(s, fleet.Smart[0]);
            await LoopHarness.EventuallyAsync(() => Task.FromResult(agents[0].CreditAddedWh == smartVend["energyWh"]!.GetValue<long>()), "the smart meter's first top-up under the new key");
            var audit = await admin.GetStringAsync("/api/v1/audit?limit=500", Ct);
            foreach (var action in new[] { "campaign.plan", "campaign.confirm-meter", "campaign.pause", "campaign.resume" })
            {
                Assert.Contains(action, audit, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_campaign_is_refused_whole_when_a_meter_cannot_take_it_and_a_bad_plan_names_its_fields()
    {
        var fleet = await FleetAsync(keypad: 2, smart: 0);
        using var admin = server.Client();
        var invalid = await admin.PostAsJsonAsync("/api/v1/key-change-campaigns", new { name = "", reason = "x", toKeyRevisionNumber = 12, site = "A", supplyGroupCode = 1 }, Ct);
        var problem = await Json(invalid);
        Status(HttpStatusCode.BadRequest, invalid, problem.ToJsonString());
        foreach (var field in new[] { "name", "toKeyRevisionNumber", "meters" })
        {
            Assert.NotNull(problem["errors"]![field]);
        }
        // Already on KRN 1: moving to KRN 1 is no key change.
        var same = await admin.PostAsJsonAsync("/api/v1/key-change-campaigns", new { name = "no-op", reason = "x", toKeyRevisionNumber = 1, meterNumbers = fleet.Keypad }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        Assert.Contains("already has key revision 1", await same.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // A meter with a key change ordered on its own is not taken into a campaign.
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsJsonAsync($"/api/v1/meters/{fleet.Keypad[0]}/key-change", new { toKeyRevisionNumber = 2, reason = "x" }, Ct)).StatusCode);
        var ordered = await admin.PostAsJsonAsync("/api/v1/key-change-campaigns", new { name = "ordered", reason = "x", toKeyRevisionNumber = 3, meterNumbers = fleet.Keypad }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, ordered.StatusCode);
        Assert.Contains("has a key change ordered already", await ordered.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // A meter can be in one campaign at a time.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/key-change-campaigns", new { name = "one", reason = "x", toKeyRevisionNumber = 3, meterNumbers = fleet.Keypad.Skip(1) }, Ct)).StatusCode);
        var twice = await admin.PostAsJsonAsync("/api/v1/key-change-campaigns", new { name = "two", reason = "x", toKeyRevisionNumber = 4, meterNumbers = fleet.Keypad.Skip(1) }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("in another campaign", await twice.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var vendor = server.Client(fleet.Site.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync("/api/v1/key-change-campaigns", new { name = "v", reason = "x", toKeyRevisionNumber = 5, site = fleet.Site.SiteCode }, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_smart_meter_whose_delivery_waits_is_reissued_and_a_keypad_meter_gets_its_same_tokens_again()
    {
        var fleet = await FleetAsync(keypad: 1, smart: 1);
        var s = fleet.Site;
        var loop = new LoopHarness(server, WithMeter(s, fleet.Smart[0]));
        await using var agent = await loop.AgentAsync();
        await agent.DropLinkAsync(Ct);
        using var admin = server.Client();
        var planned = await Ok(await admin.PostAsJsonAsync("/api/v1/key-change-campaigns", new { name = "reissue", reason = "x", toKeyRevisionNumber = 2, site = s.SiteCode }, Ct));
        var id = planned["id"]!.GetValue<string>();
        await server.Services.GetRequiredService<CampaignDeliveries>().RunDueAsync(Ct);
        var keypadVend = await VendAsync(s, fleet.Keypad[0]);
        Assert.Equal("planned 0 issued 2 delivered 0 confirmed 0 failed 0", await ProgressAsync(id));

        var again = await Ok(await ActAsync($"{id}/meters/{fleet.Keypad[0]}/reissue", "customer lost the receipt"));
        Assert.Equal(Tokens(keypadVend, "keyChangeTokens"), again["tokens"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.False(again["queuedForDelivery"]!.GetValue<bool>());
        var smart = await Ok(await ActAsync($"{id}/meters/{fleet.Smart[0]}/reissue", "meter unreachable for a week"));
        Assert.True(smart["queuedForDelivery"]!.GetValue<bool>());
        var meters = (await Ok(await admin.GetAsync($"/api/v1/key-change-campaigns/{id}/meters?state=issued", Ct))).AsArray();
        Assert.Equal(2, meters.Single(m => m!["meterNumber"]!.GetValue<string>() == fleet.Smart[0])!["deliveries"]!.GetValue<int>());

        // Back online: both deliveries arrive; the first moves the meter, the second no longer decodes under the new
        // key. The meter reports KRN 2: confirmed.
        await agent.ConnectAsync(Ct);
        await LoopHarness.EventuallyAsync(async () => (await ProgressAsync(id)) == "planned 0 issued 1 delivered 0 confirmed 1 failed 0", "the smart meter confirms");
        Assert.Equal(2, await agent.ReadAsync(m => m.KeyRevisionNumber, Ct));
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync($"{id}/meters/{fleet.Smart[0]}/reissue")).StatusCode);
    }
}

public sealed class KeyChangeCampaignSqliteTests(SqliteServer server) : KeyChangeCampaignTests(server), IClassFixture<SqliteServer>;

public sealed class KeyChangeCampaignPostgresTests(PostgresServer server) : KeyChangeCampaignTests(server), IClassFixture<PostgresServer>;
