namespace Prepay.Meter.Commands;

/// <summary>A remembered command id and whether it was applied (for snapshots).</summary>
public sealed record CommandRecord(long CommandId, bool Applied);
