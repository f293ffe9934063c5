using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem;

/// <summary>
/// Cosem-Attribute-Descriptor (Green Book, xDLMS ASN.1): class-id Unsigned16, instance-id (the logical name,
/// 6 bytes), attribute-id Integer8.
/// </summary>
public readonly record struct CosemAttributeDescriptor(ushort ClassId, ObisCode Instance, sbyte AttributeId)
{
    public const int Size = 9;

    public static CosemAttributeDescriptor Read(ref DlmsReader reader) =>
        new(reader.ReadUInt16(), ObisCode.Read(ref reader), unchecked((sbyte)reader.ReadByte()));

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(ClassId);
        Instance.Write(writer);
        writer.WriteByte(unchecked((byte)AttributeId));
    }

    public override string ToString() => FormattableString.Invariant($"{ClassId}/{Instance}/{AttributeId}");
}

/// <summary>
/// Cosem-Method-Descriptor: class-id Unsigned16, instance-id (6 bytes), method-id Integer8.
/// </summary>
public readonly record struct CosemMethodDescriptor(ushort ClassId, ObisCode Instance, sbyte MethodId)
{
    public const int Size = 9;

    public static CosemMethodDescriptor Read(ref DlmsReader reader) =>
        new(reader.ReadUInt16(), ObisCode.Read(ref reader), unchecked((sbyte)reader.ReadByte()));

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(ClassId);
        Instance.Write(writer);
        writer.WriteByte(unchecked((byte)MethodId));
    }

    public override string ToString() => FormattableString.Invariant($"{ClassId}/{Instance}/m{MethodId}");
}

/// <summary>
/// Selective-Access-Descriptor: access-selector Unsigned8 and access-parameters Data (for profile generic: 1 by
/// range, 2 by entry). Carried as OPTIONAL: a 0x00 byte when absent, 0x01 then the descriptor when present.
/// </summary>
public sealed record SelectiveAccess(byte Selector, DlmsValue Parameters)
{
    public static SelectiveAccess? ReadOptional(ref DlmsReader reader) =>
        reader.ReadBoolean() ? new SelectiveAccess(reader.ReadByte(), DlmsValue.Read(ref reader)) : null;

    public static void WriteOptional(DlmsWriter writer, SelectiveAccess? access)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (access is null)
        {
            writer.WriteByte(0);
            return;
        }
        writer.WriteByte(1);
        writer.WriteByte(access.Selector);
        access.Parameters.Write(writer);
    }
}

/// <summary>Cosem-Attribute-Descriptor-With-Selection, the element of the with-list GET and SET requests.</summary>
public sealed record AttributeWithSelection(CosemAttributeDescriptor Attribute, SelectiveAccess? Access = null)
{
    public static AttributeWithSelection Read(ref DlmsReader reader) =>
        new(CosemAttributeDescriptor.Read(ref reader), SelectiveAccess.ReadOptional(ref reader));

    public void Write(DlmsWriter writer)
    {
        Attribute.Write(writer);
        SelectiveAccess.WriteOptional(writer, Access);
    }
}
