using Prepay.Dlms;
using Prepay.Dlms.Security;

namespace Prepay.HeadEnd.Dlms;

/// <summary>How the push listener receives: who may push ciphered, whether plain pushes count, and their limits.</summary>
public sealed class DlmsPushListenerOptions
{
    /// <summary>
    /// The meter and keys behind a system title (general-glo-ciphering carries the sender's title); null: unknown.
    /// Asked for every ciphered frame before its tag is checked, so it must be cheap and must not trust the title.
    /// </summary>
    public required Func<Octets, CancellationToken, ValueTask<DlmsPushSender?>> Senders { get; init; }

    /// <summary>The last counter accepted per system title; a push not above it is a replay and is dropped.</summary>
    public IReceivedCounterStore ReceivedCounters { get; init; } = new MemoryReceivedCounters();

    /// <summary>Plain (unciphered) pushes are handed on only when true: a network where meters push in clear.</summary>
    public bool AcceptPlain { get; init; } = true;

    /// <summary>How long a connection may stay silent before it is closed.</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Connections served at once; more wait to be accepted (a bound on what a flood of meters costs).</summary>
    public int MaxConnections { get; init; } = 512;
}
