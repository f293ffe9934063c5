using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Apdus;

/// <summary>Get-Data-Result ::= CHOICE { data [0] Data, data-access-result [1] Data-Access-Result } (Green Book).</summary>
public abstract record GetDataResult
{
    private protected GetDataResult() { }

    internal abstract void Write(DlmsWriter writer);

    public static GetDataResult Read(ref DlmsReader reader)
    {
        byte choice = reader.ReadByte();
        return choice switch
        {
            0 => new GetDataValue(DlmsValue.Read(ref reader)),
            1 => new GetDataFailure((DataAccessResult)reader.ReadByte()),
            _ => throw new DlmsFormatException($"Get-Data-Result choice {choice} does not exist."),
        };
    }
}

/// <summary>The attribute's value.</summary>
public sealed record GetDataValue(DlmsValue Value) : GetDataResult
{
    internal override void Write(DlmsWriter writer)
    {
        writer.WriteByte(0);
        Value.Write(writer);
    }
}

/// <summary>Why the attribute could not be read.</summary>
public sealed record GetDataFailure(DataAccessResult Result) : GetDataResult
{
    internal override void Write(DlmsWriter writer)
    {
        writer.WriteByte(1);
        writer.WriteByte((byte)Result);
    }
}

/// <summary>DataBlock-SA (Green Book): one block of a long SET or ACTION: last-block, block-number, raw-data.</summary>
public readonly record struct DataBlock(bool LastBlock, uint BlockNumber, Octets RawData)
{
    public static DataBlock Read(ref DlmsReader reader) => new(reader.ReadBoolean(), reader.ReadUInt32(), reader.ReadOctetString());

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBoolean(LastBlock);
        writer.WriteUInt32(BlockNumber);
        writer.WriteOctetString(RawData.Span);
    }
}
