using Prepay.Domain.Energy;

namespace Prepay.MeterLink.Commands;

/// <summary>Sets the low-credit warning and the emergency credit; a threshold left null keeps the meter's own.</summary>
public sealed record SetThresholds(Energy? LowCredit, Energy? EmergencyCredit) : MeterCommand;
