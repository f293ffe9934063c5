namespace Prepay.Storage.Cluster;

/// <summary>
/// This server instance among the nodes on one database: the host name (what an operator recognises), the process
/// and a random part, so that two servers in one process or a restarted node never pass for each other.
/// </summary>
public sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public override string ToString() => Id;
}
