using NodaTime;
using Prepay.Alerts.Outbox;
using Prepay.Domain.Vendors;
using Prepay.Tariffs.Documents;

namespace Prepay.Vending.Vends;

/// <summary>
/// A vend read and checked, ready to be written: what its transaction needs, read before it. <see cref="Now"/> is the
/// vend's instant whichever transaction writes it (its own or a batch's a few milliseconds later).
/// </summary>
internal sealed record VendPlan(
    VendCommand Cmd, string Hash, Vendor Vendor, Actor Actor, VendTarget Target, Destinations ReceiptsTo,
    TariffDocument Tariff, bool CentralCredit, Instant Now, Guid VendId);

/// <summary>What writing a vend came to, decided inside its transaction or savepoint.</summary>
internal abstract record VendWrite
{
    /// <summary>Everything added to the context: saved and committed, the vend is made.</summary>
    public sealed record Committed(VendOutcome.Created Created, bool CreditCommand) : VendWrite;

    /// <summary>Undone: nothing of it is written, and this is the answer.</summary>
    public sealed record Refused(VendOutcome Outcome) : VendWrite;

    /// <summary>Undone with its whole batch, whose commit a short float refused: to be written again on its own.</summary>
    public sealed record Alone : VendWrite
    {
        public static readonly Alone Instance = new();
    }

    /// <summary>Undone: the key was already claimed, so the answer is the claim's, read once it is committed.</summary>
    public sealed record Replay : VendWrite
    {
        public static readonly Replay Instance = new();
    }
}
