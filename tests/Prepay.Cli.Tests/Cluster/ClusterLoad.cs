using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using MQTTnet;
using Prepay.MeterLink.Mqtt;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>A vend a buyer was answered for (2xx), and under which idempotency key.</summary>
public sealed record AnsweredVend(string Key, string Meter, Guid VendId, long EnergyWh, int Attempts);

/// <summary>
/// The fleet and the buyers while nodes come and go: meters publish readings and events (QoS 1) to the shared broker
/// and acknowledge their commands; buyers vend over HTTP on the nodes in turn, and a vend whose node does not answer
/// is sent again with the same idempotency key to the next node, as an integration retries. What the broker
/// accepted and what the nodes answered is kept, for the test to find in the database afterwards.
/// </summary>
public sealed class ClusterLoad(ClusterNodes cluster, ClusterWorld world, IReadOnlyList<BrokerMeter> meters)
{
    /// <summary>Readings the broker accepted (PUBACK), by meter.</summary>
    public ConcurrentDictionary<string, ConcurrentBag<DateTimeOffset>> Readings { get; } = new();

    /// <summary>Events the broker accepted, by meter.</summary>
    public ConcurrentDictionary<string, ConcurrentBag<EventPayload>> Events { get; } = new();

    public ConcurrentBag<AnsweredVend> Vends { get; } = [];

    /// <summary>Answers that were neither a vend nor a reason to try again (would fail the test).</summary>
    public ConcurrentBag<string> Refusals { get; } = [];

    public static readonly DateTimeOffset FirstReading = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Runs <paramref name="buyers"/> buyers and every meter until <paramref name="stop"/>.</summary>
    public Task RunAsync(int buyers, CancellationToken stop) =>
        Task.WhenAll(meters.Select((m, i) => PublishAsync(m, i, stop)).Concat(Enumerable.Range(0, buyers).Select(b => BuyAsync(b, stop))));

    private async Task PublishAsync(BrokerMeter meter, int index, CancellationToken stop)
    {
        var readings = Readings.GetOrAdd(meter.MeterNumber, _ => []);
        var events = Events.GetOrAdd(meter.MeterNumber, _ => []);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var at = FirstReading.AddMinutes(15 * i);
            var reading = new ReadingPayload(at, 1_000 + (250 * i), 250, 40_000, 2300, 1100, 253);
            if (await meter.PublishAsync(Topics.Readings, new ReadingsMessage([reading])) == MqttClientPublishReasonCode.Success)
            {
                readings.Add(at);
            }
            if (i % 6 == index % 6)
            {
                // A customer's message (low credit) and an operator's alert (over-voltage), in turn.
                var e = new EventPayload(at.AddMinutes(7), i % 12 < 6 ? "lowCredit" : "overVoltage", null);
                if (await meter.PublishAsync(Topics.Events, new EventsMessage([e])) == MqttClientPublishReasonCode.Success)
                {
                    events.Add(e);
                }
            }
            await Task.Delay(150, CancellationToken.None);
        }
    }

    private async Task BuyAsync(int buyer, CancellationToken stop)
    {
        var random = new Random(buyer);
        var clients = Enumerable.Range(0, cluster.Ports.Count).Select(n => cluster.Client(n, world.VendorKey)).ToArray();
        try
        {
            var next = buyer;
            while (!stop.IsCancellationRequested)
            {
                var meter = world.Meters[random.Next(world.Meters.Count)];
                var key = $"cluster-{buyer}-{Guid.NewGuid():N}";
                var body = new { meterNumber = meter, amount = "5.00", currency = "ZAR" };
                // Once sent, a vend is followed to its answer even past the stop: it may have been written.
                var deadline = DateTime.UtcNow.AddSeconds(60);
                for (var attempt = 1; ; attempt++)
                {
                    var client = clients[next++ % clients.Length];
                    var (status, answer) = await TryAsync(client, Vend(body, key));
                    if (answer is not null)
                    {
                        Vends.Add(new AnsweredVend(key, meter, answer["id"]!.GetValue<Guid>(), answer["energyWh"]!.GetValue<long>(), attempt));
                        break;
                    }
                    // No answer (the node is down or died mid-request), the key still in flight elsewhere (409), or a
                    // node without its database for a moment: the same vend again, on the next node.
                    if (status is not (null or HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway))
                    {
                        Refusals.Add($"{key}: {(int)status}");
                        break;
                    }
                    if (DateTime.UtcNow > deadline)
                    {
                        Refusals.Add($"{key}: no answer in 60 s ({attempt} attempts, last {status})");
                        break;
                    }
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    private static async Task<(HttpStatusCode? Status, JsonNode? Answer)> TryAsync(HttpClient client, HttpRequestMessage request)
    {
        try
        {
            using var response = await client.SendAsync(request, CancellationToken.None);
            return response.IsSuccessStatusCode ? (response.StatusCode, await Json(response)) : (response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (null, null);
        }
        finally
        {
            request.Dispose();
        }
    }
}
