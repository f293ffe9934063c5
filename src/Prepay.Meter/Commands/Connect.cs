namespace Prepay.Meter.Commands;

/// <summary>Close the relay: lifts a remote disconnection; refused while credit is at or below zero outside friendly hours, or while tamper is latched.</summary>
public sealed record Connect(long CommandId) : MeterCommand(CommandId);
