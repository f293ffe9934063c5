using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Acse;

/// <summary>
/// The xDLMS conformance block (Green Book, "Conformance ::= [APPLICATION 31] IMPLICIT BIT STRING (SIZE(24))"):
/// the services a client proposes and a server grants. Bit 0 is the most significant bit of the first of the three
/// bytes, so bit n has the value 1 &lt;&lt; (23 - n). Encoded in BER inside the A-XDR Initiate APDUs:
/// 5F 1F (tag), 04 (length), 00 (unused bits), then the three bytes.
/// </summary>
[Flags]
public enum Conformance : uint
{
    None = 0,
    ReservedZero = 1u << 23,
    GeneralProtection = 1u << 22,
    GeneralBlockTransfer = 1u << 21,
    Read = 1u << 20,
    Write = 1u << 19,
    UnconfirmedWrite = 1u << 18,
    DeltaValueEncoding = 1u << 17,
    ReservedSeven = 1u << 16,
    Attribute0SupportedWithSet = 1u << 15,
    PriorityManagementSupported = 1u << 14,
    Attribute0SupportedWithGet = 1u << 13,
    BlockTransferWithGetOrRead = 1u << 12,
    BlockTransferWithSetOrWrite = 1u << 11,
    BlockTransferWithAction = 1u << 10,
    MultipleReferences = 1u << 9,
    InformationReport = 1u << 8,
    DataNotification = 1u << 7,
    Access = 1u << 6,
    ParameterizedAccess = 1u << 5,
    Get = 1u << 4,
    Set = 1u << 3,
    SelectiveAccess = 1u << 2,
    EventNotification = 1u << 1,
    Action = 1u << 0,
}

internal static class ConformanceBlock
{
    private const ushort BerTag = 0x5F1F;

    public static Conformance Read(ref DlmsReader reader)
    {
        if (reader.ReadUInt16() != BerTag)
        {
            throw new DlmsFormatException("The conformance block starts with its BER tag 5F 1F.");
        }
        reader.Expect(4, "the conformance block's length");
        reader.ReadByte(); // unused bits: always 0 for 24 bits
        var bits = reader.ReadBytes(3);
        return (Conformance)(((uint)bits[0] << 16) | ((uint)bits[1] << 8) | bits[2]);
    }

    public static void Write(DlmsWriter writer, Conformance conformance)
    {
        uint value = (uint)conformance;
        if (value > 0xFFFFFF)
        {
            throw new ArgumentException("The conformance block has 24 bits.", nameof(conformance));
        }
        writer.WriteUInt16(BerTag);
        writer.WriteByte(4);
        writer.WriteByte(0);
        writer.WriteByte(unchecked((byte)(value >> 16)));
        writer.WriteByte(unchecked((byte)(value >> 8)));
        writer.WriteByte(unchecked((byte)value));
    }
}
