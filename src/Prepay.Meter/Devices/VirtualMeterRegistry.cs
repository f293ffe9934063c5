using System.Collections.Concurrent;

namespace Prepay.Meter.Devices;

/// <summary>
/// The virtual meters running in this process, by meter number: a fleet registers its meters as it starts them and
/// removes them when it stops, and a page finds the one in front of the visitor. Meters running in another process
/// are not here, and neither is a real meter: absence means "not a simulated meter of this process".
/// </summary>
public sealed class VirtualMeterRegistry
{
    private readonly ConcurrentDictionary<string, IVirtualMeter> _meters = new(StringComparer.Ordinal);

    /// <summary>How many meters are registered now.</summary>
    public int Count => _meters.Count;

    /// <summary>Registers a meter (replacing an earlier one of the same number); disposing the result removes it again.</summary>
    public IDisposable Register(IVirtualMeter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _meters[meter.MeterNumber] = meter;
        return new Registration(this, meter);
    }

    /// <summary>The running meter with this number, or null when none runs here.</summary>
    public IVirtualMeter? Find(string? meterNumber) =>
        meterNumber is not null && _meters.TryGetValue(meterNumber.Trim(), out var meter) ? meter : null;

    /// <summary>The numbers of the meters registered now, in order.</summary>
    public IReadOnlyList<string> Numbers() => [.. _meters.Keys.Order(StringComparer.Ordinal)];

    private sealed class Registration(VirtualMeterRegistry registry, IVirtualMeter meter) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            // Only this registration's meter goes: a later one registered under the same number stays.
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                registry._meters.TryRemove(new KeyValuePair<string, IVirtualMeter>(meter.MeterNumber, meter));
            }
        }
    }
}
