namespace Prepay.Dlms.Hdlc;

/// <summary>
/// Reads HDLC frames from a byte stream (a serial line behind a serial-to-IP converter), however the bytes arrive.
/// Bytes before an opening flag are skipped, repeated flags are idle fill, and one flag may close a frame and open
/// the next (IEC 62056-46 §6.4.1). The length field, not the closing flag, delimits a frame.
/// </summary>
public sealed class HdlcFrameReader
{
    private readonly Stream _stream;
    private readonly byte[] _one = new byte[1];
    private bool _flagSeen;

    public HdlcFrameReader(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

    /// <summary>The next frame, or null when the stream ends between frames.</summary>
    public async ValueTask<HdlcFrame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        byte first;
        while (true)
        {
            int? b = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            if (b is null)
            {
                return null;
            }
            if (b == HdlcFrame.Flag)
            {
                _flagSeen = true;
            }
            else if (_flagSeen && (b & 0xF0) == 0xA0)
            {
                first = (byte)b;
                break;
            }
            else
            {
                _flagSeen = false;
            }
        }
        int? second = await ReadByteAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new DlmsFormatException("The stream ended inside an HDLC frame format field.");
        int length = HdlcFrame.ReadLength([first, (byte)second]);
        if (length < 7)
        {
            _flagSeen = false;
            throw new DlmsFormatException($"HDLC frame length {length} is shorter than the smallest frame.");
        }
        var frame = new byte[length + 2];
        frame[0] = HdlcFrame.Flag;
        frame[1] = first;
        frame[2] = (byte)second;
        int read = await _stream.ReadAtLeastAsync(frame.AsMemory(3), length - 1, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (read < length - 1)
        {
            throw new DlmsFormatException($"The stream ended after {read + 2} of {length} HDLC frame bytes.");
        }
        _flagSeen = frame[^1] == HdlcFrame.Flag;
        return HdlcFrame.Decode(frame);
    }

    private async ValueTask<int?> ReadByteAsync(CancellationToken cancellationToken)
    {
        int read = await _stream.ReadAsync(_one, cancellationToken).ConfigureAwait(false);
        return read == 0 ? null : _one[0];
    }
}
