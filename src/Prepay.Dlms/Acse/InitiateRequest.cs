using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Acse;

/// <summary>
/// xDLMS InitiateRequest [1] (Green Book), carried in the AARQ's user-information: dedicated-key OCTET STRING
/// OPTIONAL, response-allowed BOOLEAN DEFAULT TRUE, proposed-quality-of-service [0] Integer8 OPTIONAL,
/// proposed-dlms-version-number Unsigned8 (6), proposed-conformance, client-max-receive-pdu-size Unsigned16.
/// OPTIONAL and DEFAULT fields are preceded by 0x00 (absent / default) or 0x01 (present).
/// </summary>
public sealed record InitiateRequest(
    Conformance ProposedConformance,
    ushort ClientMaxReceivePduSize,
    byte ProposedDlmsVersion = 6,
    Octets? DedicatedKey = null,
    bool ResponseAllowed = true,
    sbyte? ProposedQualityOfService = null) : Apdu
{
    public override ApduTag Tag => ApduTag.InitiateRequest;

    internal override void WriteBody(DlmsWriter writer)
    {
        if (DedicatedKey is { } key)
        {
            writer.WriteByte(1);
            writer.WriteOctetString(key.Span);
        }
        else
        {
            writer.WriteByte(0);
        }
        if (ResponseAllowed)
        {
            writer.WriteByte(0);
        }
        else
        {
            writer.WriteByte(1);
            writer.WriteBoolean(false);
        }
        WriteOptionalInteger8(writer, ProposedQualityOfService);
        writer.WriteByte(ProposedDlmsVersion);
        ConformanceBlock.Write(writer, ProposedConformance);
        writer.WriteUInt16(ClientMaxReceivePduSize);
    }

    internal static InitiateRequest Read(ref DlmsReader reader)
    {
        Octets? key = reader.ReadBoolean() ? reader.ReadOctetString() : null;
        bool responseAllowed = !reader.ReadBoolean() || reader.ReadBoolean();
        sbyte? quality = ReadOptionalInteger8(ref reader);
        byte version = reader.ReadByte();
        var conformance = ConformanceBlock.Read(ref reader);
        return new InitiateRequest(conformance, reader.ReadUInt16(), version, key, responseAllowed, quality);
    }

    internal static void WriteOptionalInteger8(DlmsWriter writer, sbyte? value)
    {
        writer.WriteBoolean(value.HasValue);
        if (value is { } v)
        {
            writer.WriteByte(unchecked((byte)v));
        }
    }

    internal static sbyte? ReadOptionalInteger8(ref DlmsReader reader) =>
        reader.ReadBoolean() ? unchecked((sbyte)reader.ReadByte()) : null;
}

/// <summary>
/// xDLMS InitiateResponse [8] (Green Book), carried in the AARE's user-information: negotiated-quality-of-service
/// [0] Integer8 OPTIONAL, negotiated-dlms-version-number, negotiated-conformance, server-max-receive-pdu-size,
/// vaa-name (0x0007 for logical-name referencing).
/// </summary>
public sealed record InitiateResponse(
    Conformance NegotiatedConformance,
    ushort ServerMaxReceivePduSize,
    byte NegotiatedDlmsVersion = 6,
    short VaaName = InitiateResponse.LogicalNameVaaName,
    sbyte? NegotiatedQualityOfService = null) : Apdu
{
    public const short LogicalNameVaaName = 0x0007;

    public override ApduTag Tag => ApduTag.InitiateResponse;

    internal override void WriteBody(DlmsWriter writer)
    {
        InitiateRequest.WriteOptionalInteger8(writer, NegotiatedQualityOfService);
        writer.WriteByte(NegotiatedDlmsVersion);
        ConformanceBlock.Write(writer, NegotiatedConformance);
        writer.WriteUInt16(ServerMaxReceivePduSize);
        writer.WriteInt16(VaaName);
    }

    internal static InitiateResponse Read(ref DlmsReader reader)
    {
        sbyte? quality = InitiateRequest.ReadOptionalInteger8(ref reader);
        byte version = reader.ReadByte();
        var conformance = ConformanceBlock.Read(ref reader);
        ushort size = reader.ReadUInt16();
        return new InitiateResponse(conformance, size, version, reader.ReadInt16(), quality);
    }
}

/// <summary>
/// ConfirmedServiceError [14] (Green Book): a server's refusal of an xDLMS service, here of the InitiateRequest in an
/// AARE: the refused service (1 initiate-error), the ServiceError CHOICE (6 initiate) and its value (e.g. 1
/// dlms-version-too-low, 2 incompatible-conformance, 3 pdu-size-too-short, 4 refused-by-the-VDE-handler).
/// </summary>
public sealed record ConfirmedServiceError(byte Service, byte ErrorKind, byte Value) : Apdu
{
    public override ApduTag Tag => ApduTag.ConfirmedServiceError;

    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteByte(Service);
        writer.WriteByte(ErrorKind);
        writer.WriteByte(Value);
    }

    internal static ConfirmedServiceError Read(ref DlmsReader reader) => new(reader.ReadByte(), reader.ReadByte(), reader.ReadByte());
}
