namespace Prepay.MeterLink.Commands;

/// <summary>Closes the relay, if the meter's credit allows.</summary>
public sealed record Connect : MeterCommand;
