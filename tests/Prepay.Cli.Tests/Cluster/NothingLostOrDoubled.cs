using MQTTnet;
using Npgsql;
using Prepay.Testing;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>
/// What a run of the whole loop on several nodes must leave behind, read straight from the database: every vend a
/// buyer was answered for there once and nothing else sold, the ledger's balances equal to its postings, one credit
/// command per vend acknowledged and applied by its meter exactly once, every reading and event the broker accepted
/// stored once, one operator alert per alerting event, and every customer message sent and received once.
/// </summary>
internal static class NothingLostOrDoubled
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Waits until every command is acknowledged, every reading and event stored and every message sent (bounded).</summary>
    public static async Task DrainAsync(NpgsqlConnection db, ClusterLoad load)
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

    public static async Task AssertAsync(NpgsqlConnection db, ClusterNodes cluster, ClusterLoad load, IReadOnlyList<BrokerMeter> meters)
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

    public static async Task<BrokerMeter> ConnectAsync(MosquittoBroker broker, string number)
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

    public static async Task WaitForAsync(Func<bool> done, string what, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {seconds} s: {what}");
            await Task.Delay(50, Ct);
        }
    }
}
