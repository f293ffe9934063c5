namespace Prepay.Dlms.Axdr;

/// <summary>
/// Decodes the COSEM <c>Data</c> CHOICE (Blue Book §4.1.5) with a table from tag to content reader. Nesting is
/// limited to <see cref="MaxDepth"/> levels so that hostile input cannot exhaust the stack.
/// </summary>
public static class AxdrDecoder
{
    public const int MaxDepth = 32;

    private delegate DlmsValue ContentReader(ref DlmsReader reader, int depth);

    private static readonly ContentReader?[] Readers = BuildReaders();

    /// <summary>Content size in bytes of each fixed-size simple type; -1 for variable size (at least one length byte).</summary>
    private static readonly int[] FixedSizes = BuildFixedSizes();

    public static DlmsValue Read(ref DlmsReader reader) => Read(ref reader, 0);

    /// <summary>One value <paramref name="depth"/> levels down: a reader that walks the outer levels itself keeps the same limit.</summary>
    internal static DlmsValue Read(ref DlmsReader reader, int depth) => ReadAfterTag(reader.ReadByte(), ref reader, depth);

    /// <summary>The value whose tag <paramref name="tag"/> has just been read.</summary>
    internal static DlmsValue ReadAfterTag(byte tag, ref DlmsReader reader, int depth)
    {
        var read = Readers[tag] ?? throw new DlmsFormatException($"Unknown Data tag {tag} at offset {reader.Position - 1}.");
        return read(ref reader, depth);
    }

    private static ContentReader?[] BuildReaders()
    {
        var table = new ContentReader?[256];
        table[(int)DataTag.NullData] = static (ref DlmsReader _, int _) => NullData.Instance;
        table[(int)DataTag.Array] = static (ref DlmsReader r, int d) => new DlmsArray(ReadSequence(ref r, d));
        table[(int)DataTag.Structure] = static (ref DlmsReader r, int d) => new DlmsStructure(ReadSequence(ref r, d));
        table[(int)DataTag.Boolean] = static (ref DlmsReader r, int _) => new DlmsBoolean(r.ReadBoolean());
        table[(int)DataTag.BitString] = static (ref DlmsReader r, int _) => ReadBitString(ref r);
        table[(int)DataTag.DoubleLong] = static (ref DlmsReader r, int _) => new DoubleLong(r.ReadInt32());
        table[(int)DataTag.DoubleLongUnsigned] = static (ref DlmsReader r, int _) => new DoubleLongUnsigned(r.ReadUInt32());
        table[(int)DataTag.OctetString] = static (ref DlmsReader r, int _) => new OctetString(r.ReadOctetString());
        table[(int)DataTag.VisibleString] = static (ref DlmsReader r, int _) => VisibleString.ReadContent(ref r);
        table[(int)DataTag.Utf8String] = static (ref DlmsReader r, int _) => Utf8String.ReadContent(ref r);
        table[(int)DataTag.Bcd] = static (ref DlmsReader r, int _) => new Bcd(r.ReadByte());
        table[(int)DataTag.Integer] = static (ref DlmsReader r, int _) => new Integer(unchecked((sbyte)r.ReadByte()));
        table[(int)DataTag.Long] = static (ref DlmsReader r, int _) => new Long(r.ReadInt16());
        table[(int)DataTag.Unsigned] = static (ref DlmsReader r, int _) => new Unsigned(r.ReadByte());
        table[(int)DataTag.LongUnsigned] = static (ref DlmsReader r, int _) => new LongUnsigned(r.ReadUInt16());
        table[(int)DataTag.CompactArray] = static (ref DlmsReader r, int d) => ReadCompactArray(ref r, d);
        table[(int)DataTag.Long64] = static (ref DlmsReader r, int _) => new Long64(r.ReadInt64());
        table[(int)DataTag.Long64Unsigned] = static (ref DlmsReader r, int _) => new Long64Unsigned(r.ReadUInt64());
        table[(int)DataTag.Enum] = static (ref DlmsReader r, int _) => new DlmsEnum(r.ReadByte());
        table[(int)DataTag.Float32] = static (ref DlmsReader r, int _) => new Float32(BitConverter.UInt32BitsToSingle(r.ReadUInt32()));
        table[(int)DataTag.Float64] = static (ref DlmsReader r, int _) => new Float64(BitConverter.UInt64BitsToDouble(r.ReadUInt64()));
        table[(int)DataTag.DateTime] = static (ref DlmsReader r, int _) => new DlmsDateTime(CosemDateTime.Read(ref r));
        table[(int)DataTag.Date] = static (ref DlmsReader r, int _) => new DlmsDate(CosemDate.Read(ref r));
        table[(int)DataTag.Time] = static (ref DlmsReader r, int _) => new DlmsTime(CosemTime.Read(ref r));
        table[(int)DataTag.DontCare] = static (ref DlmsReader _, int _) => DontCare.Instance;
        return table;
    }

    private static int[] BuildFixedSizes()
    {
        var sizes = new int[256];
        Array.Fill(sizes, -1);
        (DataTag Tag, int Size)[] known =
        [
            (DataTag.NullData, 0), (DataTag.DontCare, 0), (DataTag.Boolean, 1), (DataTag.Bcd, 1), (DataTag.Integer, 1),
            (DataTag.Unsigned, 1), (DataTag.Enum, 1), (DataTag.Long, 2), (DataTag.LongUnsigned, 2),
            (DataTag.DoubleLong, 4), (DataTag.DoubleLongUnsigned, 4), (DataTag.Float32, 4), (DataTag.Long64, 8),
            (DataTag.Long64Unsigned, 8), (DataTag.Float64, 8), (DataTag.DateTime, CosemDateTime.Size),
            (DataTag.Date, CosemDate.Size), (DataTag.Time, CosemTime.Size),
        ];
        foreach (var (tag, size) in known)
        {
            sizes[(int)tag] = size;
        }
        return sizes;
    }

    internal static long MinimumContentSize(DataTag tag) => FixedSizes[(int)tag] is var size and >= 0 ? size : 1;

    internal static long SaturatingMultiply(long count, long size) =>
        count == 0 || size == 0 ? 0 : Math.Min(count, int.MaxValue / size + 1) * size;

    private static ValueList<DlmsValue> ReadSequence(ref DlmsReader reader, int depth)
    {
        CheckDepth(depth, reader.Position);
        int count = reader.ReadCount(minimumElementSize: 1);
        var items = new DlmsValue[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = Read(ref reader, depth + 1);
        }
        return new ValueList<DlmsValue>(items);
    }

    private static DlmsBitString ReadBitString(ref DlmsReader reader)
    {
        int bits = reader.ReadLength();
        return new DlmsBitString(bits, new Octets(reader.ReadBytes((int)(((long)bits + 7) / 8))));
    }

    private static CompactArray ReadCompactArray(ref DlmsReader reader, int depth)
    {
        var description = ReadDescription(ref reader, depth + 1);
        var contents = new DlmsReader(reader.ReadBytes(reader.ReadLength()));
        long elementSize = description.MinimumContentSize;
        if (elementSize == 0)
        {
            throw new DlmsFormatException("A compact-array whose elements take no bytes cannot say how many it holds.");
        }
        var elements = new List<DlmsValue>();
        while (!contents.AtEnd)
        {
            contents.CheckCount(1, (int)Math.Min(elementSize, int.MaxValue));
            elements.Add(ReadByDescription(ref contents, description, depth + 1));
        }
        return new CompactArray(description, new ValueList<DlmsValue>(elements.ToArray()));
    }

    private static TypeDescription ReadDescription(ref DlmsReader reader, int depth)
    {
        CheckDepth(depth, reader.Position);
        byte tag = reader.ReadByte();
        switch ((DataTag)tag)
        {
            case DataTag.Array:
                ushort count = reader.ReadUInt16();
                var element = ReadDescription(ref reader, depth + 1);
                if (count > 0 && element.MinimumContentSize == 0)
                {
                    // Elements that take no bytes would let a few bytes of input ask for billions of values.
                    throw new DlmsFormatException("A compact-array description has an array of elements that take no bytes.");
                }
                return new ArrayType(count, element);
            case DataTag.Structure:
                int fields = reader.ReadCount(minimumElementSize: 1);
                var descriptions = new TypeDescription[fields];
                for (int i = 0; i < fields; i++)
                {
                    descriptions[i] = ReadDescription(ref reader, depth + 1);
                }
                return new StructureType(new ValueList<TypeDescription>(descriptions));
            case DataTag.CompactArray:
                throw new DlmsFormatException("A compact-array cannot describe a compact-array.");
            default:
                _ = Readers[tag] ?? throw new DlmsFormatException($"Unknown type {tag} in a compact-array description.");
                return new SimpleType((DataTag)tag);
        }
    }

    private static DlmsValue ReadByDescription(ref DlmsReader reader, TypeDescription description, int depth)
    {
        CheckDepth(depth, reader.Position);
        switch (description)
        {
            case ArrayType array:
                reader.CheckCount(array.Count, (int)Math.Min(array.Element.MinimumContentSize, int.MaxValue));
                var items = new DlmsValue[array.Count];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = ReadByDescription(ref reader, array.Element, depth + 1);
                }
                return new DlmsArray(new ValueList<DlmsValue>(items));
            case StructureType structure:
                var fields = new DlmsValue[structure.Fields.Count];
                for (int i = 0; i < fields.Length; i++)
                {
                    fields[i] = ReadByDescription(ref reader, structure.Fields[i], depth + 1);
                }
                return new DlmsStructure(new ValueList<DlmsValue>(fields));
            default:
                var simple = (SimpleType)description;
                return Readers[(int)simple.Type]!(ref reader, depth);
        }
    }

    private static void CheckDepth(int depth, int position)
    {
        if (depth >= MaxDepth)
        {
            throw new DlmsFormatException($"Data nested deeper than {MaxDepth} levels at offset {position}.");
        }
    }
}
