using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// ACTION-Request [195] (Green Book, xDLMS): normal [1], next-pblock [2], with-list [3], with-first-pblock [4],
/// with-pblock [6]. Method parameters are an OPTIONAL Data.
/// </summary>
public abstract record ActionRequest(InvokeIdAndPriority Invoke) : Apdu
{
    public override ApduTag Tag => ApduTag.ActionRequest;

    internal static ActionRequest Read(ref DlmsReader reader)
    {
        byte choice = reader.ReadByte();
        var invoke = new InvokeIdAndPriority(reader.ReadByte());
        switch (choice)
        {
            case 1:
                var method = CosemMethodDescriptor.Read(ref reader);
                return new ActionRequestNormal(invoke, method, reader.ReadBoolean() ? DlmsValue.Read(ref reader) : null);
            case 2:
                return new ActionRequestNextPBlock(invoke, reader.ReadUInt32());
            case 3:
                var methods = new CosemMethodDescriptor[reader.ReadCount(CosemMethodDescriptor.Size)];
                for (int i = 0; i < methods.Length; i++)
                {
                    methods[i] = CosemMethodDescriptor.Read(ref reader);
                }
                var parameters = new DlmsValue[reader.ReadCount()];
                for (int i = 0; i < parameters.Length; i++)
                {
                    parameters[i] = DlmsValue.Read(ref reader);
                }
                return new ActionRequestWithList(invoke, new ValueList<CosemMethodDescriptor>(methods), new ValueList<DlmsValue>(parameters));
            case 4:
                var firstMethod = CosemMethodDescriptor.Read(ref reader);
                return new ActionRequestWithFirstPBlock(invoke, firstMethod, DataBlock.Read(ref reader));
            case 6:
                return new ActionRequestWithPBlock(invoke, DataBlock.Read(ref reader));
            default:
                throw new DlmsFormatException($"ACTION-Request choice {choice} is not supported.");
        }
    }

    private protected void WriteHead(DlmsWriter writer, byte choice)
    {
        writer.WriteByte(choice);
        writer.WriteByte(Invoke.Value);
    }
}

/// <summary>Action-Request-Normal: invoke one method, with or without parameters.</summary>
public sealed record ActionRequestNormal(InvokeIdAndPriority Invoke, CosemMethodDescriptor Method, DlmsValue? Parameters = null)
    : ActionRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 1);
        Method.Write(writer);
        writer.WriteBoolean(Parameters is not null);
        Parameters?.Write(writer);
    }
}

/// <summary>Action-Request-Next-Pblock: the client acknowledges a block of a long answer and asks for the next.</summary>
public sealed record ActionRequestNextPBlock(InvokeIdAndPriority Invoke, uint BlockNumber) : ActionRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 2);
        writer.WriteUInt32(BlockNumber);
    }
}

/// <summary>Action-Request-With-List: several methods, then their parameters in the same order.</summary>
public sealed record ActionRequestWithList(InvokeIdAndPriority Invoke, ValueList<CosemMethodDescriptor> Methods, ValueList<DlmsValue> Parameters)
    : ActionRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 3);
        writer.WriteLength(Methods.Count);
        foreach (var method in Methods)
        {
            method.Write(writer);
        }
        writer.WriteLength(Parameters.Count);
        foreach (var parameter in Parameters)
        {
            parameter.Write(writer);
        }
    }
}

/// <summary>Action-Request-With-First-Pblock: the method and the first block of its encoded parameters.</summary>
public sealed record ActionRequestWithFirstPBlock(InvokeIdAndPriority Invoke, CosemMethodDescriptor Method, DataBlock Block)
    : ActionRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 4);
        Method.Write(writer);
        Block.Write(writer);
    }
}

/// <summary>Action-Request-With-Pblock: a following block of the parameters.</summary>
public sealed record ActionRequestWithPBlock(InvokeIdAndPriority Invoke, DataBlock Block) : ActionRequest(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 6);
        Block.Write(writer);
    }
}
