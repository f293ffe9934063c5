using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Meter.Load;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Fleet;
using Prepay.Simulator.Tokens;
using Prepay.Sts.Keys;

namespace Prepay.Cli.Simulate;

/// <summary>Picks and prepares the meters of a fleet: the demo's first, then as many more as asked for, made through the API.</summary>
internal static class FleetHost
{
    public const long FirstDemoMeter = 10_000_000_001;
    public const int DemoMeters = 24;
    public const long FirstExtraMeter = 20_000_000_001;

    /// <summary>The first <paramref name="count"/> meters: demo meters, then extra ones (created if missing).</summary>
    public static async Task<IReadOnlyList<MeterInfo>> DemoFleetAsync(PrepayApi admin, int count, CancellationToken ct)
    {
        var meters = new List<MeterInfo>(count);
        for (var i = 0; i < Math.Min(count, DemoMeters); i++)
        {
            meters.Add(await admin.MeterAsync((FirstDemoMeter + i).ToString(CultureInfo.InvariantCulture), ct)
                ?? throw new InvalidOperationException("The demo dataset is missing a meter."));
        }
        var extra = count - meters.Count;
        var existing = 0;
        while (existing < extra && await admin.MeterAsync((FirstExtraMeter + existing).ToString(CultureInfo.InvariantCulture), ct) is { } m)
        {
            meters.Add(m);
            existing++;
        }
        if (extra > existing)
        {
            if (existing == 0)
            {
                await admin.SendAsync(HttpMethod.Post, "/api/v1/sites", new { code = FleetProvisioning.Site, name = "Simulated fleet", kind = "residentialCommunity" }, ct);
            }
            var created = await FleetProvisioning.CreateMetersAsync(admin, extra - existing, FirstExtraMeter + existing, existing, "RES-FLAT", "COM-TOU", ct);
            foreach (var number in created)
            {
                meters.Add((await admin.MeterAsync(number, ct))!);
            }
        }
        return meters;
    }

    /// <summary>The fleet's meters with their decoders, logins and command keys; token meters are left out when there is no vending key.</summary>
    public static IReadOnlyList<FleetMeter> Prepare(IEnumerable<MeterInfo> meters, VendingKey? vendingKey, string? iin, string brokerHost, int brokerPort,
        MeterCredentials credentials, CommandKeys commandKeys, string? tlsFingerprint = null) =>
        [.. meters.Where(m => m.IsSmart || (vendingKey is not null && m.Sts is not null)).Select(m => new FleetMeter(
            m.MeterNumber,
            m.IsSmart,
            m.Sts is { } sts && vendingKey is not null ? DecoderKeys.For(vendingKey, iin, m.MeterNumber, sts) : DecoderKeys.None,
            m.Site switch { "UNIDORM" => LoadShape.Dormitory, "TECHPARK" => LoadShape.Industrial, _ => LoadShape.Residential },
            new AgentEndpoint(brokerHost, brokerPort, credentials.PasswordFor(m.MeterNumber), tlsFingerprint),
            commandKeys.KeyFor(m.MeterNumber),
            TakesTokens: m.Sts is not null && vendingKey is not null))];

    public static string ProgressLine(FleetProgress p, double? days, int meters) =>
        string.Create(CultureInfo.InvariantCulture,
            $"\r{p.Now:uuuu-MM-dd HH:mm} day {p.SimulatedDays:0.00}{(days is { } d ? $"/{d:0.##}" : "")}  readings {p.Readings}  vends {p.Vends}  tokens {p.TokensTyped}  disconnections {p.Disconnections}  reconnections {p.Reconnections}  online {p.Online}/{meters}   ");

    public static Instant DefaultStart => Instant.FromUtc(2026, 11, 23, 0, 0);
}
