using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Observability.Tests;

/// <summary>
/// One trace follows a vend from its HTTP request to the meter's acknowledgement: the request's trace context is kept
/// on the command row, the dispatcher's send continues it and hands it to the meter as the MQTT 5 <c>traceparent</c>
/// user property, and the committed acknowledgement closes it.
/// </summary>
public abstract class TraceTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_vend_to_a_smart_meter_is_one_trace_from_its_request_through_its_command_to_the_acknowledgement()
    {
        server.SkipUnlessAvailable();
        var finished = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or CommandTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = finished.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var s = await CreateAsync(server, mode: "smart");
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var meter = new MeterPeer(s.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success,
            await meter.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(s.MeterNumber), protocol: MqttProtocolVersion.V500));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await meter.SubscribeAsync());

        // The integration that sells traces too: its trace context comes with the request, and everything after continues it.
        var trace = ActivityTraceId.CreateRandom();
        using var vendor = server.Client(s.VendorKey);
        var post = Vend(new { site = s.SiteCode, unit = s.Unit, amount = "25.00", currency = "ZAR" });
        post.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        await Ok(await vendor.SendAsync(post, Ct));
        await LoopHarness.EventuallyAsync(() => Task.FromResult(finished.Any(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == trace)),
            "the request's span ends in the caller's trace");

        await LoopHarness.EventuallyAsync(() => Task.FromResult(meter.Commands.Any(c => c.Type == CommandTypes.AddCredit)), "the credit command reaches the meter");
        var command = meter.Commands.First(c => c.Type == CommandTypes.AddCredit);
        // The meter got the trace on with the command.
        Assert.True(meter.TraceParents.TryGetValue(command.CommandId, out var traceParent), "the command came without its traceparent");
        Assert.Equal(trace, ActivityContext.Parse(traceParent, null).TraceId);

        await meter.PublishAsync(Topics.Acks, new AckMessage(command.CommandId, "applied", null, server.Clock.GetCurrentInstant().ToDateTimeOffset()));
        await LoopHarness.EventuallyAsync(() => Task.FromResult(finished.Any(a => a.OperationName == "command.acknowledged" && Is(a, command.CommandId))),
            "the acknowledgement is traced");

        var send = finished.First(a => a.OperationName == "command.send" && Is(a, command.CommandId));
        var acknowledged = finished.First(a => a.OperationName == "command.acknowledged" && Is(a, command.CommandId));
        Assert.Equal(trace, send.TraceId);
        Assert.Equal(trace, acknowledged.TraceId);
        Assert.Equal(send.SpanId, ActivityContext.Parse(traceParent, null).SpanId); // the meter's parent is the send that carried it
        Assert.Equal("Acknowledged", acknowledged.GetTagItem("prepay.command.state"));
        Assert.Equal(s.MeterNumber, send.GetTagItem("prepay.meter.number"));
    }

    private static bool Is(Activity a, Guid commandId) => (a.GetTagItem("prepay.command.id") as string) == commandId.ToString();
}

public sealed class TraceSqliteTests(SqliteServer server) : TraceTests(server), IClassFixture<SqliteServer>;

public sealed class TracePostgresTests(PostgresServer server) : TraceTests(server), IClassFixture<PostgresServer>;
