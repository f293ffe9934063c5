using Prepay.Meter.Load;
using Prepay.Simulator.Agents;
using Prepay.Sts.Meter;

namespace Prepay.Simulator.Fleet;

/// <summary>One meter of the fleet: its number, how it gets credit, its decoder (token meters), its load and its broker login.</summary>
public sealed record FleetMeter(string MeterNumber, bool IsSmart, MeterState Sts, LoadShape Shape, AgentEndpoint Endpoint);
