using NodaTime;

namespace Prepay.Meter.Commands;

/// <summary>The command was refused and nothing was done; the id is remembered, so a retry needs a new id.</summary>
public sealed record CommandRejected(Instant At, long CommandId, CommandRejection Reason, string Detail) : CommandAck(At, CommandId);
