using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Apdus;

/// <summary>GET-Request [192] (Green Book, xDLMS): normal [1], next [2] (ask for the next block), with-list [3].</summary>
public abstract record GetRequest(InvokeIdAndPriority Invoke) : Apdu
{
    public override ApduTag Tag => ApduTag.GetRequest;

    internal static GetRequest Read(ref DlmsReader reader)
    {
        byte choice = reader.ReadByte();
        var invoke = new InvokeIdAndPriority(reader.ReadByte());
        return choice switch
        {
            1 => new GetRequestNormal(invoke, CosemAttributeDescriptor.Read(ref reader), SelectiveAccess.ReadOptional(ref reader)),
            2 => new GetRequestNext(invoke, reader.ReadUInt32()),
            3 => new GetRequestWithList(invoke, ReadList(ref reader)),
            _ => throw new DlmsFormatException($"GET-Request choice {choice} does not exist."),
        };
    }

    private static ValueList<AttributeWithSelection> ReadList(ref DlmsReader reader)
    {
        var items = new AttributeWithSelection[reader.ReadCount(CosemAttributeDescriptor.Size + 1)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = AttributeWithSelection.Read(ref reader);
        }
        return new ValueList<AttributeWithSelection>(items);
    }
}

/// <summary>Get-Request-Normal: one attribute, optionally with selective access.</summary>
public sealed record GetRequestNormal(InvokeIdAndPriority Invoke, CosemAttributeDescriptor Attribute, SelectiveAccess? Access = null)
    : GetRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteByte(1);
        writer.WriteByte(Invoke.Value);
        Attribute.Write(writer);
        SelectiveAccess.WriteOptional(writer, Access);
    }
}

/// <summary>Get-Request-Next: the client acknowledges block <see cref="BlockNumber"/> and asks for the next one.</summary>
public sealed record GetRequestNext(InvokeIdAndPriority Invoke, uint BlockNumber) : GetRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteByte(2);
        writer.WriteByte(Invoke.Value);
        writer.WriteUInt32(BlockNumber);
    }
}

/// <summary>Get-Request-With-List: several attributes in one request.</summary>
public sealed record GetRequestWithList(InvokeIdAndPriority Invoke, ValueList<AttributeWithSelection> Attributes) : GetRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteByte(3);
        writer.WriteByte(Invoke.Value);
        writer.WriteLength(Attributes.Count);
        foreach (var attribute in Attributes)
        {
            attribute.Write(writer);
        }
    }
}
