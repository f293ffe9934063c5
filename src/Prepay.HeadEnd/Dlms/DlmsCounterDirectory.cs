using System.Collections.Concurrent;
using Prepay.Dlms;
using Prepay.Dlms.Security;
using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// The head-end's outgoing invocation counters, one file per meter and client system title under one directory
/// (Green Book, security suite 0: an IV must never repeat under a key). Values are persisted before use, a block
/// ahead (<see cref="ReservedBlockInvocationCounter"/>; a block of 1 flushes every value as
/// <see cref="FileInvocationCounter"/> does), so a crash never reuses one. One store per file in this process: two
/// stores on one file would hand out the same value.
/// </summary>
public sealed class DlmsCounterDirectory
{
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, IInvocationCounterStore> _stores = new(StringComparer.Ordinal);

    public DlmsCounterDirectory(string directory, uint reserveAhead = 32)
    {
        ArgumentOutOfRangeException.ThrowIfZero(reserveAhead);
        ReserveAhead = reserveAhead;
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = System.IO.Directory.CreateDirectory(directory).FullName;
    }

    public string Root => _directory;

    /// <summary>How many values each disk flush reserves.</summary>
    public uint ReserveAhead { get; }

    /// <summary>The counter the head-end uses towards <paramref name="meter"/> with <paramref name="clientSystemTitle"/>.</summary>
    public IInvocationCounterStore For(MeterNumber meter, Octets clientSystemTitle)
    {
        // Meter numbers are letters, digits and '-': safe as a file name.
        string name = $"{meter.Value}.{Convert.ToHexString(clientSystemTitle.Span)}.ic";
        return _stores.GetOrAdd(name, n => new ReservedBlockInvocationCounter(Path.Combine(_directory, n), ReserveAhead));
    }
}
