namespace Prepay.Meter.Commands;

/// <summary>Set the low-credit warning threshold and the emergency credit amount (both ≥ 0 Wh).</summary>
public sealed record SetThresholds(long CommandId, long LowCreditWh, long EmergencyCreditWh) : MeterCommand(CommandId);
