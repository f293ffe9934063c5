using System.Collections.Concurrent;
using NodaTime;

namespace Prepay.Vending.Caching;

/// <summary>
/// Remembers configuration (a vendor, a meter's tariff assignments) for a few seconds so that a busy vending server
/// does not read it on every sale. Only for data whose change may take effect that much later; never for money,
/// balances or anything a guard depends on.
/// </summary>
public sealed class ShortLivedCache<TKey, TValue>(IClock clock, Duration lifetime) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, Instant Expires)> _entries = new();

    public async ValueTask<TValue> GetOrLoadAsync(TKey key, Func<TKey, Task<TValue>> load)
    {
        var now = clock.GetCurrentInstant();
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            return entry.Value;
        }
        var value = await load(key);
        _entries[key] = (value, now + lifetime);
        return value;
    }

    public void Forget(TKey key) => _entries.TryRemove(key, out _);
}
