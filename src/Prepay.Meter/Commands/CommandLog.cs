namespace Prepay.Meter.Commands;

/// <summary>
/// Bounded memory of command ids for at-most-once application: the last <see cref="Capacity"/> ids seen (and
/// whether each was applied), plus a floor: every id at or below it is treated as possibly seen (Stale).
/// Ids are assumed to increase in issue order; reordering within the window is handled exactly.
/// </summary>
internal sealed class CommandLog
{
    public const int Capacity = 1024;

    private readonly SortedDictionary<long, bool> _seen = [];

    public CommandLog(long floor, IEnumerable<CommandRecord> seen)
    {
        Floor = floor;
        foreach (var record in seen)
        {
            _seen[record.CommandId] = record.Applied;
        }
    }

    /// <summary>Ids at or below this are no longer remembered individually.</summary>
    public long Floor { get; private set; }

    /// <summary>True with <paramref name="applied"/> when the id was seen before.</summary>
    public bool TryGet(long id, out bool applied) => _seen.TryGetValue(id, out applied);

    public bool IsStale(long id) => id <= Floor;

    public void Remember(long id, bool applied)
    {
        _seen.Add(id, applied);
        while (_seen.Count > Capacity)
        {
            long oldest = _seen.Keys.First();
            _seen.Remove(oldest);
            Floor = Math.Max(Floor, oldest);
        }
    }

    public IReadOnlyList<CommandRecord> Records => [.. _seen.Select(kv => new CommandRecord(kv.Key, kv.Value))];
}
