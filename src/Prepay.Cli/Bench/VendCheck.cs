namespace Prepay.Cli.Bench;

/// <summary>
/// Did the database keep exactly what the clients were told? <see cref="Lost"/>: a 201 whose vend is not stored
/// under its key. <see cref="Doubled"/>: a stored vend beyond one per key, or one for a key no client sent.
/// <see cref="RetryMismatches"/>: a retry answered with another vend than the original. <see cref="Unacknowledged"/>
/// vends were stored although their client saw an error: not a fault (the client would retry the key), only shown.
/// The ledger must verify (kept balances equal their postings) and all balances must sum to zero.
/// </summary>
public sealed record VendCheck(
    int Acknowledged,
    int Stored,
    int Lost,
    int Doubled,
    int Unacknowledged,
    int Retries,
    int RetryMismatches,
    IReadOnlyList<string> LedgerProblems,
    long BalanceSum,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;

    public static VendCheck From(VendTally tally, IReadOnlyList<StoredVend> stored, IReadOnlyList<string> ledgerProblems, long balanceSum)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(ledgerProblems);

        var byKey = stored.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(s => s.Id).ToList(), StringComparer.Ordinal);
        var acknowledged = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var lost = 0;
        foreach (var a in tally.Acknowledged)
        {
            // A key acknowledged twice with two ids would be a double answered as two first attempts.
            if (!acknowledged.TryAdd(a.Key, a.Id) || !byKey.TryGetValue(a.Key, out var ids) || !ids.Contains(a.Id))
            {
                lost++;
            }
        }
        var failed = tally.FailedKeys.ToHashSet(StringComparer.Ordinal);
        var doubled = 0;
        var unacknowledged = 0;
        foreach (var (key, ids) in byKey)
        {
            doubled += ids.Count - 1;
            if (!acknowledged.ContainsKey(key))
            {
                if (failed.Contains(key))
                {
                    unacknowledged++;
                }
                else
                {
                    doubled++;
                }
            }
        }
        var retryMismatches = tally.Retries.Count(r => r.ReturnedId != r.OriginalId);

        var problems = new List<string>();
        if (lost > 0)
        {
            problems.Add($"{lost} acknowledged vend(s) missing from the database (lost)");
        }
        if (doubled > 0)
        {
            problems.Add($"{doubled} vend row(s) beyond one per idempotency key or for a key never sent (doubled)");
        }
        if (retryMismatches > 0)
        {
            problems.Add($"{retryMismatches} of {tally.Retries.Count} retries returned another vend than the original");
        }
        problems.AddRange(ledgerProblems.Take(5).Select(p => "ledger: " + p));
        if (ledgerProblems.Count > 5)
        {
            problems.Add($"ledger: {ledgerProblems.Count - 5} more accounts differ from their postings");
        }
        if (balanceSum != 0)
        {
            problems.Add($"account balances sum to {balanceSum}, not 0");
        }
        return new VendCheck(tally.Acknowledged.Count, stored.Count, lost, doubled, unacknowledged, tally.Retries.Count, retryMismatches, ledgerProblems, balanceSum, problems);
    }
}
