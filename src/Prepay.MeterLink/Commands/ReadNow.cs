namespace Prepay.MeterLink.Commands;

/// <summary>Asks for a reading and the meter's status now, instead of at its next interval.</summary>
public sealed record ReadNow : MeterCommand;
