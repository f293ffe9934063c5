namespace Prepay.Simulator.Agents;

/// <summary>Where a meter agent's broker is and the meter's password there (its user name and client id are its number).</summary>
public sealed record AgentEndpoint(string Host, int Port, string Password);
