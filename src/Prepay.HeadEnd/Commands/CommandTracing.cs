using System.Diagnostics;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Traces of a command's way to its meter, continuing the trace of what queued it (W3C trace context kept on the
/// command row, <see cref="Storage.Records.Metering.MeterCommandRecord.TraceParent"/>): a <c>command.send</c> span
/// each time the dispatcher hands it to a transport (MQTT carries the context on as the message's <c>traceparent</c>
/// user property), and a <c>command.acknowledged</c> span when the meter's acknowledgement is committed. Nothing is
/// made while nobody listens to <see cref="SourceName"/>.
/// </summary>
public static class CommandTracing
{
    /// <summary>The activity source to listen to (OpenTelemetry: <c>AddSource</c>).</summary>
    public const string SourceName = "Prepay.HeadEnd";

    /// <summary>The MQTT 5 user property that carries the trace context with a command.</summary>
    public const string TraceParentProperty = "traceparent";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The trace context to keep with a command queued now, or null when nothing traces it.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null;

    /// <summary>Starts the span of one attempt to send a command, in the trace of what queued it (a new trace when it was not traced).</summary>
    internal static Activity? StartSend(string? traceParent, Guid commandId, string meterNumber, string type, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity("command.send", ActivityKind.Producer, Parent(traceParent));
        activity?.SetTag("prepay.command.id", commandId.ToString())
            .SetTag("prepay.command.type", type)
            .SetTag("prepay.command.attempt", attempt)
            .SetTag("prepay.meter.number", meterNumber);
        return activity;
    }

    /// <summary>Whether acknowledgements are worth the read of their commands' trace contexts (somebody listens).</summary>
    internal static bool Listening => Source.HasListeners();

    /// <summary>Records that a meter's acknowledgement of a command was committed, in the command's trace, from its arrival until now.</summary>
    internal static void Acknowledged(string? traceParent, Guid commandId, string meterNumber, string state, string? outcome, DateTimeOffset receivedAt)
    {
        using var activity = Source.StartActivity("command.acknowledged", ActivityKind.Consumer, Parent(traceParent), startTime: receivedAt);
        activity?.SetTag("prepay.command.id", commandId.ToString())
            .SetTag("prepay.command.state", state)
            .SetTag("prepay.command.outcome", outcome)
            .SetTag("prepay.meter.number", meterNumber);
    }

    private static ActivityContext Parent(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent) ? parent : default;
}
