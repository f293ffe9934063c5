using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// Action-Response-With-Optional-Data (Green Book): the result and, OPTIONAL, return parameters as a Get-Data-Result.
/// </summary>
public sealed record ActionOutcome(ActionResult Result, GetDataResult? ReturnParameters = null)
{
    public static ActionOutcome Read(ref DlmsReader reader)
    {
        var result = (ActionResult)reader.ReadByte();
        return new ActionOutcome(result, reader.ReadBoolean() ? GetDataResult.Read(ref reader) : null);
    }

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte((byte)Result);
        writer.WriteBoolean(ReturnParameters is not null);
        ReturnParameters?.Write(writer);
    }
}

/// <summary>
/// ACTION-Response [199] (Green Book, xDLMS): normal [1], with-pblock [2], with-list [3], next-pblock [4].
/// </summary>
public abstract record ActionResponse(InvokeIdAndPriority Invoke) : Apdu
{
    public override ApduTag Tag => ApduTag.ActionResponse;

    internal static ActionResponse Read(ref DlmsReader reader)
    {
        byte choice = reader.ReadByte();
        var invoke = new InvokeIdAndPriority(reader.ReadByte());
        switch (choice)
        {
            case 1:
                return new ActionResponseNormal(invoke, ActionOutcome.Read(ref reader));
            case 2:
                return new ActionResponseWithPBlock(invoke, DataBlock.Read(ref reader));
            case 3:
                var outcomes = new ActionOutcome[reader.ReadCount(minimumElementSize: 2)];
                for (int i = 0; i < outcomes.Length; i++)
                {
                    outcomes[i] = ActionOutcome.Read(ref reader);
                }
                return new ActionResponseWithList(invoke, new ValueList<ActionOutcome>(outcomes));
            case 4:
                return new ActionResponseNextPBlock(invoke, reader.ReadUInt32());
            default:
                throw new DlmsFormatException($"ACTION-Response choice {choice} does not exist.");
        }
    }

    private protected void WriteHead(DlmsWriter writer, byte choice)
    {
        writer.WriteByte(choice);
        writer.WriteByte(Invoke.Value);
    }
}

public sealed record ActionResponseNormal(InvokeIdAndPriority Invoke, ActionOutcome Outcome) : ActionResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 1);
        Outcome.Write(writer);
    }
}

/// <summary>Action-Response-With-Pblock: one block of long return parameters.</summary>
public sealed record ActionResponseWithPBlock(InvokeIdAndPriority Invoke, DataBlock Block) : ActionResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 2);
        Block.Write(writer);
    }
}

public sealed record ActionResponseWithList(InvokeIdAndPriority Invoke, ValueList<ActionOutcome> Outcomes) : ActionResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 3);
        writer.WriteLength(Outcomes.Count);
        foreach (var outcome in Outcomes)
        {
            outcome.Write(writer);
        }
    }
}

/// <summary>Action-Response-Next-Pblock: the server acknowledges a block of long parameters and asks for the next.</summary>
public sealed record ActionResponseNextPBlock(InvokeIdAndPriority Invoke, uint BlockNumber) : ActionResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 4);
        writer.WriteUInt32(BlockNumber);
    }
}
