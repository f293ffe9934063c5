using NodaTime;
using Prepay.Meter.Events;

namespace Prepay.Meter.Commands;

/// <summary>The acknowledgement every command gets exactly one of: applied, duplicate or rejected.</summary>
public abstract record CommandAck(Instant At, long CommandId) : MeterOutput(At);
