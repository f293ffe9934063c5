using NodaTime;

namespace Prepay.Meter.Commands;

/// <summary>The id was seen before; nothing was done. <paramref name="WasApplied"/> tells how the first arrival ended.</summary>
public sealed record CommandDuplicate(Instant At, long CommandId, bool WasApplied) : CommandAck(At, CommandId);
