using NodaTime;

namespace Prepay.Meter.Commands;

/// <summary>The command was applied now (the first time its id arrived).</summary>
public sealed record CommandApplied(Instant At, long CommandId, string Command) : CommandAck(At, CommandId);
