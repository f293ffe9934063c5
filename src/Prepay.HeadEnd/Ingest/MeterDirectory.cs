using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage;

namespace Prepay.HeadEnd.Ingest;

/// <summary>Meter number to meter id. Ids never change, so a found id is remembered; an unknown number is asked again.</summary>
public sealed class MeterDirectory(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, Guid> _ids = new(StringComparer.Ordinal);

    public async ValueTask<Guid?> IdAsync(string meterNumber, CancellationToken ct)
    {
        if (_ids.TryGetValue(meterNumber, out var id))
        {
            return id;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var found = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (found is { } f)
        {
            _ids[meterNumber] = f;
        }
        return found;
    }
}
