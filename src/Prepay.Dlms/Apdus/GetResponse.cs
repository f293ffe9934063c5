using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Apdus;

/// <summary>GET-Response [196] (Green Book, xDLMS): normal [1], with-datablock [2], with-list [3].</summary>
public abstract record GetResponse(InvokeIdAndPriority Invoke) : Apdu
{
    public override ApduTag Tag => ApduTag.GetResponse;

    internal static GetResponse Read(ref DlmsReader reader)
    {
        byte choice = reader.ReadByte();
        var invoke = new InvokeIdAndPriority(reader.ReadByte());
        return choice switch
        {
            1 => new GetResponseNormal(invoke, GetDataResult.Read(ref reader)),
            2 => GetResponseWithDataBlock.ReadBlock(invoke, ref reader),
            3 => new GetResponseWithList(invoke, ReadResults(ref reader)),
            _ => throw new DlmsFormatException($"GET-Response choice {choice} does not exist."),
        };
    }

    private static ValueList<GetDataResult> ReadResults(ref DlmsReader reader)
    {
        var results = new GetDataResult[reader.ReadCount(minimumElementSize: 2)];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = GetDataResult.Read(ref reader);
        }
        return new ValueList<GetDataResult>(results);
    }
}

/// <summary>Get-Response-Normal: the value of one attribute or why it could not be read.</summary>
public sealed record GetResponseNormal(InvokeIdAndPriority Invoke, GetDataResult Result) : GetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteByte(1);
        writer.WriteByte(Invoke.Value);
        Result.Write(writer);
    }

    /// <summary>
    /// The encoded Data value of a Get-Response-Normal where it lies in <paramref name="apdu"/> (tag, choice,
    /// invoke-id, result choice 0, then the value to the end), for readers that walk it without building the tree
    /// (<see cref="Axdr.ProfileRowReader"/>); the value itself is not checked here. False, with the
    /// Data-Access-Result, when the attribute could not be read. Any other APDU throws <see cref="DlmsFormatException"/>.
    /// </summary>
    public static bool TryGetData(ReadOnlySpan<byte> apdu, out ReadOnlySpan<byte> data, out DataAccessResult failure)
    {
        var reader = new DlmsReader(apdu);
        reader.Expect((byte)ApduTag.GetResponse, "a GET-Response");
        reader.Expect(1, "Get-Response-Normal");
        reader.ReadByte();
        byte choice = reader.ReadByte();
        switch (choice)
        {
            case 0:
                data = reader.ReadBytes(reader.Remaining);
                failure = DataAccessResult.Success;
                return true;
            case 1:
                failure = (DataAccessResult)reader.ReadByte();
                reader.ExpectEnd("a Get-Response-Normal");
                data = default;
                return false;
            default:
                throw new DlmsFormatException($"Get-Data-Result choice {choice} does not exist.");
        }
    }
}

/// <summary>
/// Get-Response-With-Datablock: one block of a long answer, DataBlock-G { last-block, block-number,
/// result CHOICE { raw-data [0], data-access-result [1] } }. The raw data of all blocks together is the encoded
/// Data value. A non-null <see cref="Failure"/> ends the transfer and <see cref="RawData"/> is then empty.
/// </summary>
public sealed record GetResponseWithDataBlock(InvokeIdAndPriority Invoke, bool LastBlock, uint BlockNumber, Octets RawData, DataAccessResult? Failure = null)
    : GetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteByte(2);
        writer.WriteByte(Invoke.Value);
        writer.WriteBoolean(LastBlock);
        writer.WriteUInt32(BlockNumber);
        if (Failure is { } failure)
        {
            writer.WriteByte(1);
            writer.WriteByte((byte)failure);
        }
        else
        {
            writer.WriteByte(0);
            writer.WriteOctetString(RawData.Span);
        }
    }

    /// <summary>
    /// A Get-Response-With-Datablock read where it lies in <paramref name="apdu"/>: the block's raw data is a slice of
    /// the APDU, not a copy, for a client that joins the blocks into one buffer of its own. False, with the
    /// Data-Access-Result, when the block reports a failure. Any other APDU throws <see cref="DlmsFormatException"/>.
    /// </summary>
    public static bool TryGetRawData(ReadOnlySpan<byte> apdu, out bool lastBlock, out uint blockNumber, out ReadOnlySpan<byte> rawData,
        out DataAccessResult failure)
    {
        var reader = new DlmsReader(apdu);
        reader.Expect((byte)ApduTag.GetResponse, "a GET-Response");
        reader.Expect(2, "Get-Response-With-Datablock");
        reader.ReadByte();
        lastBlock = reader.ReadBoolean();
        blockNumber = reader.ReadUInt32();
        byte choice = reader.ReadByte();
        switch (choice)
        {
            case 0:
                rawData = reader.ReadBytes(reader.ReadLength());
                reader.ExpectEnd("a Get-Response-With-Datablock");
                failure = DataAccessResult.Success;
                return true;
            case 1:
                failure = (DataAccessResult)reader.ReadByte();
                reader.ExpectEnd("a Get-Response-With-Datablock");
                rawData = default;
                return false;
            default:
                throw new DlmsFormatException($"DataBlock-G result choice {choice} does not exist.");
        }
    }

    internal static GetResponseWithDataBlock ReadBlock(InvokeIdAndPriority invoke, ref DlmsReader reader)
    {
        bool last = reader.ReadBoolean();
        uint number = reader.ReadUInt32();
        byte choice = reader.ReadByte();
        return choice switch
        {
            0 => new GetResponseWithDataBlock(invoke, last, number, reader.ReadOctetString()),
            1 => new GetResponseWithDataBlock(invoke, last, number, Octets.Empty, (DataAccessResult)reader.ReadByte()),
            _ => throw new DlmsFormatException($"DataBlock-G result choice {choice} does not exist."),
        };
    }
}

/// <summary>Get-Response-With-List: one result per requested attribute, in order.</summary>
public sealed record GetResponseWithList(InvokeIdAndPriority Invoke, ValueList<GetDataResult> Results) : GetResponse(Invoke)
{
    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteByte(3);
        writer.WriteByte(Invoke.Value);
        writer.WriteLength(Results.Count);
        foreach (var result in Results.AsSpan())
        {
            result.Write(writer);
        }
    }
}
