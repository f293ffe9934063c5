using System.Collections.Concurrent;
using NodaTime;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Per meter, the latest reading instant this process has seen committed. A reading later than that is almost
/// certainly new, so <see cref="ReadingWriter"/> can copy it straight into the table instead of through the
/// duplicate-refusing path. Only a hint: another node may have stored the same reading, and after a restart nothing
/// is known, so the database's primary key stays the guard and a wrong guess costs a retry, never a second row.
/// </summary>
public sealed class LatestStored
{
    private readonly ConcurrentDictionary<Guid, Instant> _latest = new();

    public bool IsLater(IntervalReading reading) => _latest.TryGetValue(reading.MeterId, out var at) && reading.At > at;

    /// <summary>
    /// Called after the rows have committed (whether each was new or already there), by the one writer that handles
    /// their meters: two writers never record the same meter, so read-then-set cannot go backwards.
    /// </summary>
    public void Record(IReadOnlyList<IntervalReading> committed)
    {
        foreach (var r in committed)
        {
            if (!_latest.TryGetValue(r.MeterId, out var at) || r.At > at)
            {
                _latest[r.MeterId] = r.At;
            }
        }
    }
}
