namespace Prepay.Simulator.Agents;

/// <summary>
/// Where a meter agent's broker is and the meter's password there (its user name and client id are its number);
/// with <see cref="TlsFingerprint"/>, over TLS to a broker whose certificate has that SHA-256 fingerprint.
/// </summary>
public sealed record AgentEndpoint(string Host, int Port, string Password, string? TlsFingerprint = null);
