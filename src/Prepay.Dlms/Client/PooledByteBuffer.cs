using System.Buffers;

namespace Prepay.Dlms.Client;

/// <summary>
/// Bytes appended into a buffer rented from the shared pool, grown by renting a larger one; every buffer given back
/// is cleared first, as it may hold deciphered meter data. Either <see cref="Detach"/> hands the bytes on or
/// <see cref="Dispose"/> gives the buffer back.
/// </summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private byte[]? _rented;
    private int _length;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        int needed = _length + bytes.Length;
        if (_rented is null || needed > _rented.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(256, (_rented?.Length ?? 0) * 2)));
            if (_rented is { } old)
            {
                old.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(old, clearArray: true);
            }
            _rented = larger;
        }
        bytes.CopyTo(_rented.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Forgets what was appended; the buffer is kept for what comes next.</summary>
    public void Reset()
    {
        _rented?.AsSpan(0, _length).Clear();
        _length = 0;
    }

    /// <summary>The bytes as an <see cref="EncodedAttributeRead"/>, which from now on owns the buffer.</summary>
    public EncodedAttributeRead Detach()
    {
        var buffer = _rented ?? ArrayPool<byte>.Shared.Rent(1);
        var read = EncodedAttributeRead.Of(buffer, _length);
        _rented = null;
        _length = 0;
        return read;
    }

    public void Dispose()
    {
        if (_rented is { } buffer)
        {
            _rented = null;
            _length = 0;
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
