namespace Prepay.MeterLink.Commands;

/// <summary>Opens the relay.</summary>
public sealed record Disconnect : MeterCommand;
