namespace Prepay.Dlms.Axdr;

// The fixed-size numeric types of the Data CHOICE (Blue Book §4.1.5), big-endian, two's complement for the signed
// ones, IEEE 754 for the floats (float32 [23], float64 [24]).

/// <summary>integer [15]: Integer8.</summary>
public sealed record Integer(sbyte Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Integer;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteByte(unchecked((byte)Value));
}

/// <summary>long [16]: Integer16.</summary>
public sealed record Long(short Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Long;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteInt16(Value);
}

/// <summary>double-long [5]: Integer32.</summary>
public sealed record DoubleLong(int Value) : DlmsValue
{
    public override DataTag Tag => DataTag.DoubleLong;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteInt32(Value);
}

/// <summary>long64 [20]: Integer64.</summary>
public sealed record Long64(long Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Long64;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteInt64(Value);
}

/// <summary>unsigned [17]: Unsigned8.</summary>
public sealed record Unsigned(byte Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Unsigned;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteByte(Value);
}

/// <summary>long-unsigned [18]: Unsigned16.</summary>
public sealed record LongUnsigned(ushort Value) : DlmsValue
{
    public override DataTag Tag => DataTag.LongUnsigned;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteUInt16(Value);
}

/// <summary>double-long-unsigned [6]: Unsigned32.</summary>
public sealed record DoubleLongUnsigned(uint Value) : DlmsValue
{
    public override DataTag Tag => DataTag.DoubleLongUnsigned;

    internal override void WriteTagged(DlmsWriter writer) => writer.WriteTaggedUInt32((byte)DataTag.DoubleLongUnsigned, Value);

    internal override void WriteContent(DlmsWriter writer) => writer.WriteUInt32(Value);
}

/// <summary>long64-unsigned [21]: Unsigned64.</summary>
public sealed record Long64Unsigned(ulong Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Long64Unsigned;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteUInt64(Value);
}

/// <summary>enum [22]: Unsigned8; the meaning of each value is given by the attribute that carries it.</summary>
public sealed record DlmsEnum(byte Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Enum;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteByte(Value);
}

/// <summary>bcd [13]: one byte holding two binary-coded decimal digits (not checked: meters send what they send).</summary>
public sealed record Bcd(byte Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Bcd;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteByte(Value);
}

/// <summary>float32 [23]: IEEE 754 single precision, big-endian.</summary>
public sealed record Float32(float Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Float32;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteUInt32(BitConverter.SingleToUInt32Bits(Value));
}

/// <summary>float64 [24]: IEEE 754 double precision, big-endian.</summary>
public sealed record Float64(double Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Float64;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteUInt64(BitConverter.DoubleToUInt64Bits(Value));
}
