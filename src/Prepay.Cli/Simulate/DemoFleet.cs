using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Meter.Devices;
using Prepay.Server.Demo;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Fleet;
using Prepay.Vending.Tokens;

namespace Prepay.Cli.Simulate;

/// <summary>
/// <c>prepay demo</c>'s simulated meters: the demo's own and more, buying through the demo's app key until the demo
/// stops, each registered with the server's <see cref="VirtualMeterRegistry"/> for its device page.
/// </summary>
internal static class DemoFleet
{
    public static async Task RunAsync(WebApplication app, DemoData.DemoKeys keys, Uri address, SimulationClock clock, int meters, double speed, string? tlsFingerprint, CancellationToken stop)
    {
        try
        {
            var headEnd = app.Services.GetRequiredService<MqttHeadEnd>();
            await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(30), stop);
            using var admin = new PrepayApi(address, keys.Admin);
            var infos = await FleetHost.DemoFleetAsync(admin, meters, stop);
            var sts = app.Configuration.GetSection(StsOptions.Section).Get<StsOptions>() ?? new StsOptions();
            // With --fleet-tls the meters use the broker's TLS endpoint, pinning its self-signed certificate.
            var port = tlsFingerprint is null ? headEnd.BrokerPort : headEnd.BrokerTlsPort ?? throw new InvalidOperationException("the broker has no TLS endpoint");
            var fleetMeters = FleetHost.Prepare(infos, sts.LoadVendingKey(), sts.Iin, "127.0.0.1", port,
                app.Services.GetRequiredService<MeterCredentials>(), app.Services.GetRequiredService<CommandKeys>(), tlsFingerprint);
            using var vendor = new PrepayApi(address, keys.App);
            Console.WriteLine($"Simulated fleet: {fleetMeters.Count} meters at {speed}x on MQTT{(tlsFingerprint is null ? "" : " over TLS")} 127.0.0.1:{port}; the server's clock runs at the same speed.");
            var fleet = new Fleet(new FleetOptions { Days = null, Speed = speed }, clock, vendor);
            var run = fleet.RunAsync(fleetMeters, stop);
            // RunAsync builds its agents before it first waits, so they are all there now: the device pages find them
            // by number (token meters with their keypad) for as long as the fleet runs.
            var devices = app.Services.GetRequiredService<VirtualMeterRegistry>();
            var keypads = fleetMeters.ToDictionary(m => m.MeterNumber, m => !m.IsSmart);
            var registered = fleet.Agents.Select(a => devices.Register(new MqttVirtualMeter(a, keypads[a.MeterNumber]))).ToList();
            try
            {
                await run;
            }
            finally
            {
                registered.ForEach(r => r.Dispose());
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"prepay: the simulated fleet stopped: {e.Message}");
        }
    }
}
