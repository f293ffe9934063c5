using Prepay.Meter.Credit;

namespace Prepay.Meter.Commands;

/// <summary>Replace the friendly hours (local-time windows in the meter's zone with no disconnection).</summary>
public sealed record SetFriendlyHours(long CommandId, FriendlyHours Hours) : MeterCommand(CommandId);
