namespace Prepay.Meter.Commands;

/// <summary>Emit an on-demand reading now.</summary>
public sealed record ReadNow(long CommandId) : MeterCommand(CommandId);
