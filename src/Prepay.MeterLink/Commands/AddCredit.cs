using Prepay.Domain.Energy;

namespace Prepay.MeterLink.Commands;

/// <summary>Adds the energy a vend bought to the meter's credit (queued in the vend's own transaction).</summary>
public sealed record AddCredit(Energy Energy) : MeterCommand;
