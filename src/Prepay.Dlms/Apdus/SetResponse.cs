using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// SET-Response [197] (Green Book, xDLMS): normal [1], datablock [2] (block received), last-datablock [3],
/// last-datablock-with-list [4], with-list [5].
/// </summary>
public abstract record SetResponse(InvokeIdAndPriority Invoke) : Apdu
{
    public override ApduTag Tag => ApduTag.SetResponse;

    internal static SetResponse Read(ref DlmsReader reader)
    {
        byte choice = reader.ReadByte();
        var invoke = new InvokeIdAndPriority(reader.ReadByte());
        return choice switch
        {
            1 => new SetResponseNormal(invoke, (DataAccessResult)reader.ReadByte()),
            2 => new SetResponseDataBlock(invoke, reader.ReadUInt32()),
            3 => new SetResponseLastDataBlock(invoke, (DataAccessResult)reader.ReadByte(), reader.ReadUInt32()),
            4 => new SetResponseLastDataBlockWithList(invoke, ReadResults(ref reader), reader.ReadUInt32()),
            5 => new SetResponseWithList(invoke, ReadResults(ref reader)),
            _ => throw new DlmsFormatException($"SET-Response choice {choice} does not exist."),
        };
    }

    private static ValueList<DataAccessResult> ReadResults(ref DlmsReader reader)
    {
        var results = new DataAccessResult[reader.ReadCount()];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = (DataAccessResult)reader.ReadByte();
        }
        return new ValueList<DataAccessResult>(results);
    }

    private protected void WriteHead(DlmsWriter writer, byte choice)
    {
        writer.WriteByte(choice);
        writer.WriteByte(Invoke.Value);
    }

    private protected static void WriteResults(DlmsWriter writer, ValueList<DataAccessResult> results)
    {
        writer.WriteLength(results.Count);
        foreach (var result in results)
        {
            writer.WriteByte((byte)result);
        }
    }
}

public sealed record SetResponseNormal(InvokeIdAndPriority Invoke, DataAccessResult Result) : SetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 1);
        writer.WriteByte((byte)Result);
    }
}

/// <summary>Set-Response-Datablock: block <see cref="BlockNumber"/> arrived, send the next.</summary>
public sealed record SetResponseDataBlock(InvokeIdAndPriority Invoke, uint BlockNumber) : SetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 2);
        writer.WriteUInt32(BlockNumber);
    }
}

/// <summary>Set-Response-Last-Datablock: the last block arrived; the result of the whole SET.</summary>
public sealed record SetResponseLastDataBlock(InvokeIdAndPriority Invoke, DataAccessResult Result, uint BlockNumber) : SetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 3);
        writer.WriteByte((byte)Result);
        writer.WriteUInt32(BlockNumber);
    }
}

public sealed record SetResponseLastDataBlockWithList(InvokeIdAndPriority Invoke, ValueList<DataAccessResult> Results, uint BlockNumber)
    : SetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 4);
        WriteResults(writer, Results);
        writer.WriteUInt32(BlockNumber);
    }
}

public sealed record SetResponseWithList(InvokeIdAndPriority Invoke, ValueList<DataAccessResult> Results) : SetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        WriteHead(writer, 5);
        WriteResults(writer, Results);
    }
}
