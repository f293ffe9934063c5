namespace Prepay.Dlms.Axdr;

/// <summary>
/// A value of the COSEM <c>Data</c> CHOICE (Blue Book §4.1.5): one sealed record per type, each writing its own
/// content after its tag. Decoding goes through <see cref="AxdrDecoder"/>, a table from tag to reader.
/// </summary>
public abstract record DlmsValue
{
    private protected DlmsValue() { }

    public abstract DataTag Tag { get; }

    /// <summary>The content without the tag: what a compact-array carries for each element.</summary>
    internal abstract void WriteContent(DlmsWriter writer);

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteTagged(writer);
    }

    /// <summary>
    /// The tag, then the content. The types a load profile is made of (array, structure, octet-string,
    /// double-long-unsigned) override it to write both at once: one virtual call per value instead of two.
    /// </summary>
    internal virtual void WriteTagged(DlmsWriter writer)
    {
        writer.WriteByte((byte)Tag);
        WriteContent(writer);
    }

    public byte[] Encode()
    {
        var writer = DlmsWriter.Rent();
        Write(writer);
        return DlmsWriter.ReturnArray(writer);
    }

    /// <summary>Decodes exactly one value that fills <paramref name="bytes"/>.</summary>
    public static DlmsValue Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new DlmsReader(bytes);
        var value = AxdrDecoder.Read(ref reader);
        reader.ExpectEnd("a Data value");
        return value;
    }

    public static DlmsValue Read(ref DlmsReader reader) => AxdrDecoder.Read(ref reader);
}

/// <summary>null-data [0]: no content.</summary>
public sealed record NullData : DlmsValue
{
    public static readonly NullData Instance = new();

    public override DataTag Tag => DataTag.NullData;

    internal override void WriteContent(DlmsWriter writer) { }
}

/// <summary>dont-care [255]: no content; used in selective-access filters.</summary>
public sealed record DontCare : DlmsValue
{
    public static readonly DontCare Instance = new();

    public override DataTag Tag => DataTag.DontCare;

    internal override void WriteContent(DlmsWriter writer) { }
}

/// <summary>array [1]: SEQUENCE OF Data, elements of one type by convention (not checked).</summary>
public sealed record DlmsArray(ValueList<DlmsValue> Items) : DlmsValue
{
    public override DataTag Tag => DataTag.Array;

    internal override void WriteTagged(DlmsWriter writer)
    {
        writer.WriteTaggedCount((byte)DataTag.Array, Items.Count);
        foreach (var item in Items.AsSpan())
        {
            item.WriteTagged(writer);
        }
    }

    internal override void WriteContent(DlmsWriter writer)
    {
        writer.WriteLength(Items.Count);
        foreach (var item in Items.AsSpan())
        {
            item.WriteTagged(writer);
        }
    }
}

/// <summary>structure [2]: SEQUENCE OF Data.</summary>
public sealed record DlmsStructure(ValueList<DlmsValue> Fields) : DlmsValue
{
    public override DataTag Tag => DataTag.Structure;

    internal override void WriteTagged(DlmsWriter writer)
    {
        writer.WriteTaggedCount((byte)DataTag.Structure, Fields.Count);
        foreach (var field in Fields.AsSpan())
        {
            field.WriteTagged(writer);
        }
    }

    internal override void WriteContent(DlmsWriter writer)
    {
        writer.WriteLength(Fields.Count);
        foreach (var field in Fields.AsSpan())
        {
            field.WriteTagged(writer);
        }
    }
}

/// <summary>boolean [3].</summary>
public sealed record DlmsBoolean(bool Value) : DlmsValue
{
    public override DataTag Tag => DataTag.Boolean;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteBoolean(Value);
}

/// <summary>
/// bit-string [4]: the number of bits as an A-XDR length, then the bits packed from the most significant bit of the
/// first byte; <see cref="Bytes"/> holds exactly ceil(<see cref="BitCount"/> / 8) bytes.
/// </summary>
public sealed record DlmsBitString(int BitCount, Octets Bytes) : DlmsValue
{
    public override DataTag Tag => DataTag.BitString;

    public bool this[int bit] => (Bytes[bit / 8] & (0x80 >> (bit % 8))) != 0;

    internal override void WriteContent(DlmsWriter writer)
    {
        if (BitCount < 0 || Bytes.Length != (BitCount + 7) / 8)
        {
            throw new ArgumentException($"A bit-string of {BitCount} bits needs {(BitCount + 7) / 8} bytes, not {Bytes.Length}.");
        }
        writer.WriteLength(BitCount);
        writer.WriteBytes(Bytes.Span);
    }
}

/// <summary>octet-string [9].</summary>
public sealed record OctetString(Octets Value) : DlmsValue
{
    public override DataTag Tag => DataTag.OctetString;

    internal override void WriteTagged(DlmsWriter writer) => writer.WriteTaggedOctetString((byte)DataTag.OctetString, Value.Span);

    internal override void WriteContent(DlmsWriter writer) => writer.WriteOctetString(Value.Span);
}
