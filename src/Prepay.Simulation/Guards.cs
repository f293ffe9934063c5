namespace Prepay.Simulation;

/// <summary>
/// The guards the server's protocol keeps the loop safe with, one flag each, so that a test can switch one off and
/// see the simulation catch what it was guarding against. A run keeps them all (<see cref="All"/>) unless told.
/// </summary>
[Flags]
public enum Guards
{
    None = 0,

    /// <summary>A vend claims its (vendor, idempotency key) in the database: a retried request gets the first answer (Vending, <c>idempotency_claims</c>).</summary>
    IdempotencyClaim = 1,

    /// <summary>The head-end acknowledges a meter's message to the broker only after what it carries is committed.</summary>
    AckAfterCommit = 2,

    /// <summary>A meter's next command is sent only once every earlier one is acknowledged or withdrawn (the dispatcher's per-meter order).</summary>
    CommandOrder = 4,

    /// <summary>Every cutting command asks the disconnection policy at the instant it is sent (<c>DispatchGate</c>).</summary>
    DisconnectGate = 8,

    /// <summary>A notification is claimed in the database under a lease before it is sent (the alerts outbox).</summary>
    AlertClaim = 16,

    All = IdempotencyClaim | AckAfterCommit | CommandOrder | DisconnectGate | AlertClaim,
}

/// <summary>The guards' names on the command line (<c>--without ack-after-commit</c>).</summary>
public static class GuardNames
{
    private static readonly (Guards Guard, string Name)[] Table =
    [
        (Guards.IdempotencyClaim, "idempotency-claim"),
        (Guards.AckAfterCommit, "ack-after-commit"),
        (Guards.CommandOrder, "command-order"),
        (Guards.DisconnectGate, "disconnect-gate"),
        (Guards.AlertClaim, "alert-claim"),
    ];

    public static IReadOnlyList<string> All { get; } = [.. Table.Select(t => t.Name)];

    public static string Name(Guards guard) => Table.Single(t => t.Guard == guard).Name;

    /// <summary>The guards named, comma-separated; null with <paramref name="problem"/> set when a name is unknown.</summary>
    public static Guards? Parse(string? names, out string? problem)
    {
        problem = null;
        var result = Guards.None;
        foreach (var name in (names ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Table.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                problem = $"unknown guard '{name}' (known: {string.Join(", ", All)})";
                return null;
            }
            result |= match.Guard;
        }
        return result;
    }

    /// <summary>The names of the guards in <paramref name="guards"/>, comma-separated, in a fixed order.</summary>
    public static string Format(Guards guards) => string.Join(",", Table.Where(t => guards.HasFlag(t.Guard)).Select(t => t.Name));
}
