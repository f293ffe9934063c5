using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// SET-Request [193] (Green Book, xDLMS): normal [1], with-first-datablock [2], with-datablock [3], with-list [4].
/// </summary>
public abstract record SetRequest(InvokeIdAndPriority Invoke) : Apdu
{
    public override ApduTag Tag => ApduTag.SetRequest;

    internal static SetRequest Read(ref DlmsReader reader)
    {
        byte choice = reader.ReadByte();
        var invoke = new InvokeIdAndPriority(reader.ReadByte());
        switch (choice)
        {
            case 1:
                var attribute = CosemAttributeDescriptor.Read(ref reader);
                var access = SelectiveAccess.ReadOptional(ref reader);
                return new SetRequestNormal(invoke, attribute, access, DlmsValue.Read(ref reader));
            case 2:
                var first = CosemAttributeDescriptor.Read(ref reader);
                var firstAccess = SelectiveAccess.ReadOptional(ref reader);
                return new SetRequestWithFirstDataBlock(invoke, first, firstAccess, DataBlock.Read(ref reader));
            case 3:
                return new SetRequestWithDataBlock(invoke, DataBlock.Read(ref reader));
            case 4:
                var attributes = new AttributeWithSelection[reader.ReadCount(CosemAttributeDescriptor.Size + 1)];
                for (int i = 0; i < attributes.Length; i++)
                {
                    attributes[i] = AttributeWithSelection.Read(ref reader);
                }
                var values = new DlmsValue[reader.ReadCount()];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = DlmsValue.Read(ref reader);
                }
                return new SetRequestWithList(invoke, new ValueList<AttributeWithSelection>(attributes), new ValueList<DlmsValue>(values));
            default:
                throw new DlmsFormatException($"SET-Request choice {choice} does not exist.");
        }
    }

    private protected void WriteHead(DlmsWriter writer, byte choice)
    {
        writer.WriteByte(choice);
        writer.WriteByte(Invoke.Value);
    }
}

/// <summary>Set-Request-Normal: one attribute and its new value.</summary>
public sealed record SetRequestNormal(InvokeIdAndPriority Invoke, CosemAttributeDescriptor Attribute, SelectiveAccess? Access, DlmsValue Value)
    : SetRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 1);
        Attribute.Write(writer);
        SelectiveAccess.WriteOptional(writer, Access);
        Value.Write(writer);
    }
}

/// <summary>Set-Request-With-First-Datablock: the attribute and the first block of its encoded value.</summary>
public sealed record SetRequestWithFirstDataBlock(InvokeIdAndPriority Invoke, CosemAttributeDescriptor Attribute, SelectiveAccess? Access, DataBlock Block)
    : SetRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 2);
        Attribute.Write(writer);
        SelectiveAccess.WriteOptional(writer, Access);
        Block.Write(writer);
    }
}

/// <summary>Set-Request-With-Datablock: a following block of the value.</summary>
public sealed record SetRequestWithDataBlock(InvokeIdAndPriority Invoke, DataBlock Block) : SetRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 3);
        Block.Write(writer);
    }
}

/// <summary>Set-Request-With-List: several attributes, then their values in the same order.</summary>
public sealed record SetRequestWithList(InvokeIdAndPriority Invoke, ValueList<AttributeWithSelection> Attributes, ValueList<DlmsValue> Values)
    : SetRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 4);
        writer.WriteLength(Attributes.Count);
        foreach (var attribute in Attributes)
        {
            attribute.Write(writer);
        }
        writer.WriteLength(Values.Count);
        foreach (var value in Values)
        {
            value.Write(writer);
        }
    }
}
