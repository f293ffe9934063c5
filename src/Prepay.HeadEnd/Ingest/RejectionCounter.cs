using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Storage;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Counts refused payloads per meter and reason in memory and adds them to <c>payload_rejections</c> when flushed
/// (by the head-end every few seconds). Refusals happen on the broker's hot path, which must not wait for a database.
/// </summary>
public sealed class RejectionCounter(IServiceScopeFactory scopes, IClock clock) : IDisposable
{
    private readonly ConcurrentDictionary<(string Meter, string Reason), long> _pending = new();
    private readonly ConcurrentDictionary<string, long> _byReason = new();

    // One flush at a time: a flush that finds nothing pending must not return while another is still writing what it
    // took, or "flushed" would not mean "stored" (housekeeping and a reader flush at the same time).
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public void Count(string meter, string reason)
    {
        _pending.AddOrUpdate((Storable(meter, 64), reason), 1, (_, n) => n + 1);
        _byReason.AddOrUpdate(reason, 1, (_, n) => n + 1);
    }

    /// <summary>Refusals since start by reason, all meters together (the node's metrics; reasons are a fixed set).</summary>
    public IEnumerable<KeyValuePair<string, long>> TotalsByReason => _byReason;

    public void Dispose() => _flushing.Dispose();

    /// <summary>Stores every count taken before the call (waiting for a flush already under way).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            await FlushPendingAsync(ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushPendingAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant().ToUnixTimeTicks();
        foreach (var key in _pending.Keys.ToList())
        {
            if (!_pending.TryRemove(key, out var n))
            {
                continue;
            }
            await db.QueuedAsync(() => db.Database.ExecuteSqlAsync(
                $"INSERT INTO payload_rejections (meter_number, reason, count, last_at) VALUES ({key.Meter}, {key.Reason}, {n}, {now}) ON CONFLICT (meter_number, reason) DO UPDATE SET count = payload_rejections.count + excluded.count, last_at = excluded.last_at", ct), ct);
        }
    }

    /// <summary>
    /// The name a refusal is counted under came from the connection (a user name or client id, which MQTT lets
    /// carry U+0000): cut to <paramref name="max"/> characters, with NUL and any unpaired surrogate (one the cut may
    /// have made) replaced by U+FFFD, since PostgreSQL's text holds neither and one such name would stop every count
    /// from being stored.
    /// </summary>
    private static string Storable(string s, int max)
    {
        var cut = s.Length <= max ? s : s[..max];
        return string.Create(cut.Length, cut, (chars, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                    : char.IsLowSurrogate(c) ? i > 0 && char.IsHighSurrogate(text[i - 1])
                    : true;
                chars[i] = c == '\0' || !paired ? '\uFFFD' : c;
            }
        });
    }
}
