namespace Prepay.Meter.Commands;

/// <summary>Clear latched tamper alarms remotely (as the class 2 clear-tamper token does at the keypad).</summary>
public sealed record ClearTamper(long CommandId) : MeterCommand(CommandId);
