using NodaTime;

namespace Prepay.Domain.Metering;

/// <summary>
/// A meter installed at one premises from <see cref="InstalledAt"/> until <see cref="RemovedAt"/> (open while installed).
/// The rows are the meter's installation history; at most one per meter is open at a time.
/// </summary>
public sealed class MeterInstallation
{
    public Guid Id { get; init; }
    public Guid MeterId { get; init; }
    public Guid PremisesId { get; init; }
    public Instant InstalledAt { get; init; }
    public Instant? RemovedAt { get; set; }
}
