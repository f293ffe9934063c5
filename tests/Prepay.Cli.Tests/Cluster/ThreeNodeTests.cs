using System.Net;
using System.Text.RegularExpressions;
using MQTTnet;
using Npgsql;
using Prepay.Testing;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>
/// Three <c>prepay serve</c> processes on one PostgreSQL and one Mosquitto, a fleet of meters and buyers across all
/// three, a person signed in on one node who goes on on the others, and one node killed with SIGKILL mid-run (and
/// started again, as its service manager would). Afterwards nothing the meters and buyers were told was delivered is
/// missing, and nothing is there twice: vends, ledger, credit commands and what the meters applied, readings,
/// events, operator alerts and customers' messages (through a real SMTP server).
/// </summary>
public sealed partial class ThreeNodeTests
{
    private const int Nodes = 3;
    private const int Killed = 1;
    private const int MeterCount = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_nodes_one_killed_mid_run_lose_and_double_nothing()
    {
        Assert.SkipUnless(Databases.PostgresAvailable, "PostgreSQL not configured: set PREPAY_TEST_POSTGRES (the README's test command does).");
        MosquittoBroker.SkipUnlessAvailable();
        await using var cluster = await ClusterNodes.CreateAsync(Nodes);
        for (var n = 0; n < Nodes; n++)
        {
            await cluster.StartAsync(n);
        }
        ClusterWorld world;
        using (var admin = cluster.Client(0))
        {
            world = await ClusterWorld.CreateAsync(admin, MeterCount);
        }
        await cluster.Broker.AddMetersAsync([.. world.Meters]);
        var meters = new List<BrokerMeter>();
        try
        {
            foreach (var number in world.Meters)
            {
                meters.Add(await ConnectAsync(cluster.Broker, number));
            }

            // Signed in on node 0, the person goes on on node 1.
            var session = await SignInAsync(cluster, 0);
            Assert.Equal(HttpStatusCode.OK, await PersonPageAsync(cluster, 1, session));

            var load = new ClusterLoad(cluster, world, meters);
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(buyers: 4, stop.Token);
            await WaitForAsync(() => load.Vends.Count >= 20, "the first vends answered", 60);
            await cluster.KillAsync(Killed);
            var vendsAtKill = load.Vends.Count;
            // The others go on without it: more vends are answered while it is down, and the person's session holds.
            await WaitForAsync(() => load.Vends.Count >= vendsAtKill + 20, "vends answered with a node down", 60);
            Assert.Equal(HttpStatusCode.OK, await PersonPageAsync(cluster, 2, session));
            await cluster.StartAsync(Killed);
            var vendsAtRestart = load.Vends.Count;
            await WaitForAsync(() => load.Vends.Count >= vendsAtRestart + 20, "vends answered after the restart", 60);
            Assert.Equal(HttpStatusCode.OK, await PersonPageAsync(cluster, Killed, session));
            await stop.CancelAsync();
            await running;

            Assert.Empty(load.Refusals);
            Assert.Contains(load.Vends, v => v.Attempts > 1); // some vend met the dead node and was sent again
            await using var db = new NpgsqlConnection(cluster.ConnectionString);
            await db.OpenAsync(Ct);
            await DrainAsync(db, load);
            TestContext.Current.SendDiagnosticMessage($"{load.Vends.Count} vends ({load.Vends.Count(v => v.Attempts > 1)} sent again), "
                + $"{load.Readings.Values.Sum(r => r.Count)} readings, {load.Events.Values.Sum(e => e.Count)} events, {cluster.Smtp.Messages().Count} emails");
            await AssertNothingLostOrDoubledAsync(db, cluster, load, meters);
        }
        catch
        {
            TestContext.Current.SendDiagnosticMessage(string.Join("\n", Enumerable.Range(0, Nodes).Select(n => $"--- node {n}\n{cluster.Output(n)}")));
            throw;
        }
        finally
        {
            foreach (var m in meters)
            {
                await m.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until every command is acknowledged, every reading and event stored and every message sent (bounded).</summary>
    private static async Task DrainAsync(NpgsqlConnection db, ClusterLoad load)
    {
        var readings = load.Readings.Values.Sum(r => r.Count);
        var events = load.Events.Values.Sum(e => e.Count);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var open = await ScalarAsync(db, "SELECT count(*) FROM meter_commands WHERE lower(state) <> 'acknowledged'");
            var storedReadings = await ScalarAsync(db, "SELECT count(*) FROM readings");
            var storedEvents = await ScalarAsync(db, "SELECT count(*) FROM meter_events");
            var unsent = await ScalarAsync(db, "SELECT count(*) FROM notifications WHERE state <> 'Sent'");
            if ((open == 0 && storedReadings >= readings && storedEvents >= events && unsent == 0) || DateTime.UtcNow > deadline)
            {
                return;
            }
            await Task.Delay(250, Ct);
        }
    }

    private static async Task AssertNothingLostOrDoubledAsync(NpgsqlConnection db, ClusterNodes cluster, ClusterLoad load, IReadOnlyList<BrokerMeter> meters)
    {
        // Vends: each answered key is there once, with the vend it was answered with, and nothing else was sold.
        var vends = await RowsAsync(db, "SELECT idempotency_key, id, meter_number, energy_wh FROM vends",
            r => (Key: r.GetString(0), Id: r.GetGuid(1), Meter: r.GetString(2), EnergyWh: r.GetInt64(3)));
        Assert.Equal(load.Vends.Count, vends.Count);
        Assert.Equal(load.Vends.Select(v => (v.Key, v.VendId)).OrderBy(v => v.Key), vends.Select(v => (v.Key, v.Id)).OrderBy(v => v.Key));

        // The ledger: every account's balance is what its postings say, and the postings balance.
        Assert.Equal(0, await ScalarAsync(db, """
            SELECT count(*) FROM accounts a WHERE a.balance <>
              coalesce((SELECT sum(amount) FROM ledger_postings p WHERE p.credit_account_id = a.id), 0)
              - coalesce((SELECT sum(amount) FROM ledger_postings p WHERE p.debit_account_id = a.id), 0)
            """));
        Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM (SELECT currency FROM accounts GROUP BY currency HAVING sum(balance) <> 0) x"));

        // Commands: one credit command per vend, every command acknowledged, and each meter applied exactly the energy sold to it.
        var credit = await RowsAsync(db, "SELECT reference, id, meter_number, lower(state) FROM meter_commands WHERE type = 'addCredit'",
            r => (Reference: r.GetString(0), Id: r.GetGuid(1), Meter: r.GetString(2), State: r.GetString(3)));
        Assert.Equal(vends.Select(v => $"vend {v.Id:N}").Order(), credit.Select(c => c.Reference).Order());
        Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM meter_commands WHERE lower(state) <> 'acknowledged'"));
        foreach (var meter in meters)
        {
            var applied = meter.Commands.Where(c => c.Type == "addCredit").DistinctBy(c => c.CommandId).ToList();
            Assert.Equal(credit.Where(c => c.Meter == meter.MeterNumber).Select(c => c.Id).Order(), applied.Select(c => c.CommandId).Order());
            Assert.Equal(vends.Where(v => v.Meter == meter.MeterNumber).Sum(v => v.EnergyWh), applied.Sum(c => c.Args!.Value.GetProperty("energyWh").GetInt64()));
        }

        // Readings and events: what the broker took from each meter is stored, once.
        foreach (var (meter, sent) in load.Readings)
        {
            var stored = await RowsAsync(db, $"SELECT r.at FROM readings r JOIN meters m ON m.id = r.meter_id WHERE m.meter_number = '{meter}'", r => r.GetInt64(0));
            Assert.Equal(sent.Select(Ticks).Order(), stored.Order());
        }
        foreach (var (meter, sent) in load.Events)
        {
            var stored = await RowsAsync(db, $"SELECT e.at, e.type FROM meter_events e JOIN meters m ON m.id = e.meter_id WHERE m.meter_number = '{meter}'",
                r => (At: r.GetInt64(0), Type: r.GetString(1)));
            Assert.Equal(sent.Select(e => (Ticks(e.At), e.Type)).Order(), stored.Order());
        }
        var overVoltage = load.Events.Values.Sum(e => e.Count(x => x.Type == "overVoltage"));
        Assert.True(overVoltage > 0);
        Assert.Equal(overVoltage, await ScalarAsync(db, "SELECT count(*) FROM operator_alerts WHERE type = 'overVoltage'"));

        // Customers' messages: one per low-credit event, all sent, each received by the SMTP server.
        var lowCredit = load.Events.Values.Sum(e => e.Count(x => x.Type == "lowCredit"));
        Assert.True(lowCredit > 0);
        Assert.Equal(lowCredit, await ScalarAsync(db, "SELECT count(*) FROM notifications WHERE kind = 'lowCredit' AND channel = 'Email'"));
        var mailed = await RowsAsync(db, "SELECT id FROM notifications WHERE state = 'Sent'", r => r.GetGuid(0));
        Assert.Equal(await ScalarAsync(db, "SELECT count(*) FROM notifications"), mailed.Count);
        var received = cluster.Smtp.Messages().Select(m => Guid.Parse(m.Header("Prepay-Delivery-Id"))).ToList();
        Assert.Equal(mailed.Order(), received.Distinct().Order());
        // A node killed between the SMTP server's 250 and its commit sends that one message again on another node,
        // under the same Message-ID (recipients' mail systems drop the second): at most the one in flight at the kill.
        Assert.True(received.Count - mailed.Count <= 1, $"{received.Count - mailed.Count} messages delivered twice");
    }

    private static long Ticks(DateTimeOffset at) => NodaTime.Instant.FromDateTimeOffset(at).ToUnixTimeTicks();

    private static async Task<BrokerMeter> ConnectAsync(MosquittoBroker broker, string number)
    {
        var meter = new BrokerMeter(number);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        MqttClientConnectResultCode result;
        while ((result = await meter.ConnectAsync(broker.Port, broker.Credentials.PasswordFor(number))) != MqttClientConnectResultCode.Success && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct); // Mosquitto reloads its password file
        }
        Assert.Equal(MqttClientConnectResultCode.Success, result);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await meter.SubscribeAsync());
        return meter;
    }

    /// <summary>Signs the person in on one node (the form and the post both there) and returns the session cookie.</summary>
    private static async Task<string> SignInAsync(ClusterNodes cluster, int node)
    {
        using var client = cluster.Client(node, apiKey: null);
        using var page = await client.GetAsync("/login", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var formCookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = FormToken().Match(await page.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = ClusterNodes.PersonName, ["Password"] = ClusterNodes.PersonPassword, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", formCookie);
        using var signedIn = await client.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return string.Join("; ", signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    /// <summary>A page only a signed-in person sees (anyone else is sent to the sign-in page).</summary>
    private static async Task<HttpStatusCode> PersonPageAsync(ClusterNodes cluster, int node, string session)
    {
        using var client = cluster.Client(node, apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/password");
        request.Headers.Add("Cookie", session);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task WaitForAsync(Func<bool> done, string what, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {seconds} s: {what}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<T>> RowsAsync<T>(NpgsqlConnection db, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
