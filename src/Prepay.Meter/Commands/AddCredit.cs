namespace Prepay.Meter.Commands;

/// <summary>Add <paramref name="Wh"/> (positive) to the credit register; emergency credit owed is repaid first.</summary>
public sealed record AddCredit(long CommandId, long Wh) : MeterCommand(CommandId);
