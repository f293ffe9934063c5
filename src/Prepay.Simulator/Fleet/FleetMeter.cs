using Prepay.Meter.Load;
using Prepay.Simulator.Agents;
using Prepay.Sts.Meter;

namespace Prepay.Simulator.Fleet;

/// <summary>
/// One meter of the fleet: its number, how it gets credit, its decoder (token meters), its load, its broker login and
/// the key its commands are signed with. <see cref="TakesTokens"/>: its decoder reads the server's tokens (a token
/// meter, or a smart meter with an STS decoder), which a DLMS meter needs: over DLMS its credit arrives as tokens.
/// </summary>
public sealed record FleetMeter(string MeterNumber, bool IsSmart, MeterState Sts, LoadShape Shape, AgentEndpoint Endpoint, ReadOnlyMemory<byte> CommandKey,
    bool TakesTokens = false);
