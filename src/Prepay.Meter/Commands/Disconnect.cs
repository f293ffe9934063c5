namespace Prepay.Meter.Commands;

/// <summary>Open the relay (operator decision, whatever the credit); refused for protected customers.</summary>
public sealed record Disconnect(long CommandId) : MeterCommand(CommandId);
