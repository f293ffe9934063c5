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

    private ServerSecurityObjects? _security;

    /// <summary>
    /// The logical device's objects. The server adds the management association's Security setup
    /// (0.0.43.0.0.255) and, with <see cref="Suite"/>, its invocation counter (0.0.43.1.0.255) unless present.
    /// </summary>
    public required IReadOnlyList<ICosemObject> Objects { get; init; }

    /// <summary>What the public client may read; null: every object. The invocation counter is always readable.</summary>
    public IReadOnlySet<ObisCode>? PublicObjects { get; init; }

    /// <summary>The logical device's wPort (1: the management logical device).</summary>
    public ushort LogicalDevice { get; init; } = 1;

    public Octets SystemTitle { get; init; } = Octets.FromHex("5052455041590001");

    public byte[]? Password { get; init; }

    public SecuritySuite0? Suite { get; init; }

    public IInvocationCounterStore OutgoingCounter { get; init; } = new MemoryInvocationCounter();

    public IReceivedCounterStore ReceivedCounters { get; init; } = new MemoryReceivedCounters();

    // Built once on first use; should two threads race, one instance is published and both use it.
    internal ServerSecurityObjects Security => LazyInitializer.EnsureInitialized(ref _security, () => new ServerSecurityObjects(this));

    /// <summary><see cref="Objects"/> with the security objects the server keeps itself.</summary>
    internal IReadOnlyList<ICosemObject> ServedObjects => Security.Served;

    public ushort MaxReceivePduSize { get; init; } = 1024;

    /// <summary>How long a connection may stay silent before the server closes it.</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
