namespace Prepay.Dlms.Wrapper;

/// <summary>
/// Reads wrapper frames one after another from a byte stream (a TCP connection), however the bytes arrive: a frame
/// split over many reads, or several frames in one read.
/// </summary>
public sealed class WrapperFrameReader
{
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[WrapperFrame.HeaderSize];

    public WrapperFrameReader(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

    /// <summary>
    /// The next frame, or null when the peer closed the stream between frames. A stream that ends inside a frame, or
    /// a header with another version, throws <see cref="DlmsFormatException"/>.
    /// </summary>
    public async ValueTask<WrapperFrame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        int got = await _stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }
        if (got < _header.Length)
        {
            throw new DlmsFormatException($"The stream ended after {got} bytes of a wrapper header.");
        }
        var (source, destination, length) = WrapperFrame.ReadHeader(_header);
        var apdu = new byte[length];
        int read = await _stream.ReadAtLeastAsync(apdu, length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (read < length)
        {
            throw new DlmsFormatException($"The stream ended after {read} of {length} wrapper payload bytes.");
        }
        return new WrapperFrame(source, destination, Octets.Own(apdu));
    }
}
