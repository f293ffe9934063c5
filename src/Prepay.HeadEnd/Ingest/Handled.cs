namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// What handling a meter's message leaves to finish: events are committed before the handler returns, readings a moment
/// later by their batch writer (<see cref="ReadingIngestor"/>), statuses and command acknowledgements by theirs
/// (<see cref="StatusAndAckWriter"/>). A transport tells the
/// meter's side the message is delivered (an MQTT PUBACK) only once <see cref="Stored"/> completes; if it is
/// cancelled (the node stopped), nothing is acknowledged and the broker delivers the message again.
/// </summary>
public readonly record struct Handled(Task Stored)
{
    /// <summary>Nothing left to commit: the message was stored, or refused and counted.</summary>
    public static Handled Done { get; } = new(Task.CompletedTask);
}
