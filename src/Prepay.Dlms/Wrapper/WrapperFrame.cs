using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Wrapper;

/// <summary>
/// A TCP-UDP wrapper frame (IEC 62056-47 / Green Book "TCP-UDP based transport layer"): an 8-byte header of four
/// big-endian Unsigned16 fields (version = 0x0001, source wPort, destination wPort, length of the APDU) followed by
/// the APDU. wPorts name the client and server application processes (client SAP 16 = public client, server 1 =
/// management logical device). The IANA port for DLMS/COSEM over TCP is 4059.
/// </summary>
public sealed record WrapperFrame(ushort SourceWPort, ushort DestinationWPort, Octets Apdu)
{
    public const int HeaderSize = 8;
    public const ushort Version = 0x0001;
    public const int DefaultTcpPort = 4059;

    public byte[] Encode()
    {
        if (Apdu.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"A wrapper frame carries at most {ushort.MaxValue} bytes, not {Apdu.Length}.");
        }
        var writer = new DlmsWriter(HeaderSize + Apdu.Length);
        writer.WriteUInt16(Version);
        writer.WriteUInt16(SourceWPort);
        writer.WriteUInt16(DestinationWPort);
        writer.WriteUInt16((ushort)Apdu.Length);
        writer.WriteBytes(Apdu.Span);
        return writer.ToArray();
    }

    /// <summary>Reads the header's announced APDU length after checking the version.</summary>
    public static (ushort Source, ushort Destination, int Length) ReadHeader(ReadOnlySpan<byte> header)
    {
        var reader = new DlmsReader(header);
        ushort version = reader.ReadUInt16();
        if (version != Version)
        {
            throw new DlmsFormatException($"Wrapper version {version}; only {Version} exists.");
        }
        return (reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadUInt16());
    }

    /// <summary>Decodes exactly one frame filling <paramref name="bytes"/>.</summary>
    public static WrapperFrame Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new DlmsFormatException($"A wrapper frame has at least {HeaderSize} bytes, not {bytes.Length}.");
        }
        var (source, destination, length) = ReadHeader(bytes[..HeaderSize]);
        if (bytes.Length - HeaderSize != length)
        {
            throw new DlmsFormatException($"Wrapper header announces {length} bytes, {bytes.Length - HeaderSize} follow.");
        }
        return new WrapperFrame(source, destination, new Octets(bytes[HeaderSize..]));
    }
}
