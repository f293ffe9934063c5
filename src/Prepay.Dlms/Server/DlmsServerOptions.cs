using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Server;

/// <summary>
/// One logical device served over the TCP wrapper. The public client (SAP 16) associates without security and
/// may only read <see cref="PublicObjects"/>; the management client (SAP 1) must use HLS-GMAC when
/// <see cref="Suite"/> is set, else the low-level <see cref="Password"/> when set, else nothing.
/// Keys and passwords come from the caller's configuration; this library never logs them.
/// </summary>
public sealed class DlmsServerOptions
{
    public const ushort PublicClient = 16;
    public const ushort ManagementClient = 1;

    public required IReadOnlyList<ICosemObject> Objects { get; init; }

    /// <summary>What the public client may read; null: every object.</summary>
    public IReadOnlySet<ObisCode>? PublicObjects { get; init; }

    /// <summary>The logical device's wPort (1: the management logical device).</summary>
    public ushort LogicalDevice { get; init; } = 1;

    public Octets SystemTitle { get; init; } = Octets.FromHex("5052455041590001");

    public byte[]? Password { get; init; }

    public SecuritySuite0? Suite { get; init; }

    public IInvocationCounterStore OutgoingCounter { get; init; } = new MemoryInvocationCounter();

    public IReceivedCounterStore ReceivedCounters { get; init; } = new MemoryReceivedCounters();

    public ushort MaxReceivePduSize { get; init; } = 1024;

    /// <summary>How long a connection may stay silent before the server closes it.</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
