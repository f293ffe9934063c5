using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Meter;
using Prepay.Meter.Devices;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Fleet;
using Prepay.Simulator.Tokens;
using Prepay.Sts.Keys;

namespace Prepay.Web.Tests;

/// <summary>
/// A virtual meter of the demo dataset running beside the test server as <c>prepay demo</c>'s fleet runs it: on MQTT
/// to the server's embedded broker with its own credentials, its clock moved with the server's fake clock, and
/// registered with the server's <see cref="VirtualMeterRegistry"/> so that its device page finds it.
/// </summary>
internal sealed class SimulatedMeter : IAsyncDisposable
{
    private readonly IDisposable _registration;

    private SimulatedMeter(MqttMeterAgent agent, IDisposable registration)
    {
        Agent = agent;
        _registration = registration;
    }

    public MqttMeterAgent Agent { get; }

    public static async Task<SimulatedMeter> StartAsync(WebFixture web, string meterNumber, long initialCreditWh, int loadScalePercent = 100)
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = new PrepayApi(web.BaseAddress, web.Keys.Admin);
        var info = await admin.MeterAsync(meterNumber, ct) ?? throw new InvalidOperationException($"No demo meter {meterNumber}.");
        var sts = info.Sts is { } p ? DecoderKeys.For(VendingKey.ParseHex(WebFixture.TestVendingKeyHex), iin: null, meterNumber, p) : DecoderKeys.None;
        var headEnd = web.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var endpoint = new AgentEndpoint("127.0.0.1", headEnd.BrokerPort, web.Services.GetRequiredService<MeterCredentials>().PasswordFor(meterNumber));
        var meter = new PrepaidMeter(new MeterConfiguration
        {
            MeterId = meterNumber, Seed = 7, Start = web.Clock.GetCurrentInstant(), Sts = sts,
            InitialCreditWh = initialCreditWh, LoadScalePercent = loadScalePercent,
            CommandKey = web.Services.GetRequiredService<CommandKeys>().KeyFor(meterNumber),
        });
        var agent = new MqttMeterAgent(meter, endpoint);
        await agent.ConnectAsync(ct);
        var registration = web.Services.GetRequiredService<VirtualMeterRegistry>().Register(new MqttVirtualMeter(agent, hasKeypad: !info.IsSmart));
        return new SimulatedMeter(agent, registration);
    }

    /// <summary>Moves the server's clock and the meter together, an hour at a time, until <paramref name="done"/> holds or <paramref name="limit"/> passes.</summary>
    public async Task RunUntilAsync(FakeClock clock, Func<PrepaidMeter, bool> done, Duration limit)
    {
        var ct = TestContext.Current.CancellationToken;
        var end = clock.GetCurrentInstant() + limit;
        while (!await Agent.ReadAsync(done, ct) && clock.GetCurrentInstant() < end)
        {
            clock.Advance(Duration.FromHours(1));
            await Agent.AdvanceAsync(clock.GetCurrentInstant(), ct);
        }
        await Agent.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        _registration.Dispose();
        await Agent.DisposeAsync();
    }
}
