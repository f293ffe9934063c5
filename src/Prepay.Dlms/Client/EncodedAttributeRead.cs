using System.Buffers;
using Prepay.Dlms.Apdus;

namespace Prepay.Dlms.Client;

/// <summary>
/// The answer to a GET as the encoded Data value (tag first), not decoded: the raw data of a GET.response, or of
/// all its GET.response-with-datablock blocks joined in order (Green Book, DataBlock-G: the raw data of all blocks
/// together is the encoded value). The bytes lie in a buffer rented from the shared pool; disposing clears it and
/// gives it back, after which <see cref="Data"/> throws. One owner, not for concurrent use.
/// </summary>
public sealed class EncodedAttributeRead : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    private EncodedAttributeRead(DataAccessResult result, byte[]? buffer, int length)
    {
        Result = result;
        _buffer = buffer;
        _length = length;
    }

    public DataAccessResult Result { get; }

    /// <summary>The encoded Data value; empty when the attribute could not be read.</summary>
    public ReadOnlySpan<byte> Data => Result != DataAccessResult.Success
        ? ReadOnlySpan<byte>.Empty
        : _buffer is { } buffer ? buffer.AsSpan(0, _length) : throw new ObjectDisposedException(nameof(EncodedAttributeRead));

    /// <summary>Takes ownership of a rented buffer holding the value in its first <paramref name="length"/> bytes.</summary>
    internal static EncodedAttributeRead Of(byte[] rented, int length) => new(DataAccessResult.Success, rented, length);

    internal static EncodedAttributeRead Failed(DataAccessResult result) => new(result, null, 0);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
