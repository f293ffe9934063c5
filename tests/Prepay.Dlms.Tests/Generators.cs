using CsCheck;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Tests;

/// <summary>CsCheck generators for every COSEM data type and the descriptors the APDUs carry.</summary>
internal static class Generators
{
    public static readonly Gen<Octets> Octets = Gen.Byte.Array[0, 40].Select(b => new Octets(b));

    public static readonly Gen<Octets> NonEmptyOctets = Gen.Byte.Array[1, 40].Select(b => new Octets(b));

    public static readonly Gen<CosemDate> Date =
        Gen.Select(Gen.UShort, Gen.Byte, Gen.Byte, Gen.Byte).Select(t => new CosemDate(t.Item1, t.Item2, t.Item3, t.Item4));

    public static readonly Gen<CosemTime> Time =
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte).Select(t => new CosemTime(t.Item1, t.Item2, t.Item3, t.Item4));

    public static readonly Gen<CosemDateTime> DateTime =
        Gen.Select(Date, Time, Gen.Short, Gen.Byte).Select(t => new CosemDateTime(t.Item1, t.Item2, t.Item3, (ClockStatus)t.Item4));

    private static readonly Gen<string> Latin1 = Gen.Int[0, 0xFF].Select(i => (char)i).Array[0, 20].Select(c => new string(c));

    private static readonly Gen<string> Unicode = Gen.Int[0x20, 0xD7FF].Select(i => (char)i).Array[0, 20].Select(c => new string(c));

    private static readonly Gen<DlmsValue> BitString = Gen.Int[0, 40].SelectMany(bits =>
        Gen.Byte.Array[(bits + 7) / 8].Select(b => (DlmsValue)new DlmsBitString(bits, new Octets(b))));

    /// <summary>A generator per simple type, with its whole value range.</summary>
    public static readonly IReadOnlyDictionary<DataTag, Gen<DlmsValue>> SimpleByTag = new Dictionary<DataTag, Gen<DlmsValue>>
    {
        [DataTag.NullData] = Gen.Const<DlmsValue>(NullData.Instance),
        [DataTag.DontCare] = Gen.Const<DlmsValue>(DontCare.Instance),
        [DataTag.Boolean] = Gen.Bool.Select(b => (DlmsValue)new DlmsBoolean(b)),
        [DataTag.BitString] = BitString,
        [DataTag.DoubleLong] = Gen.Int.Select(v => (DlmsValue)new DoubleLong(v)),
        [DataTag.DoubleLongUnsigned] = Gen.UInt.Select(v => (DlmsValue)new DoubleLongUnsigned(v)),
        [DataTag.OctetString] = Octets.Select(v => (DlmsValue)new OctetString(v)),
        [DataTag.VisibleString] = Latin1.Select(v => (DlmsValue)new VisibleString(v)),
        [DataTag.Utf8String] = Unicode.Select(v => (DlmsValue)new Utf8String(v)),
        [DataTag.Bcd] = Gen.Byte.Select(v => (DlmsValue)new Bcd(v)),
        [DataTag.Integer] = Gen.SByte.Select(v => (DlmsValue)new Integer(v)),
        [DataTag.Long] = Gen.Short.Select(v => (DlmsValue)new Long(v)),
        [DataTag.Unsigned] = Gen.Byte.Select(v => (DlmsValue)new Unsigned(v)),
        [DataTag.LongUnsigned] = Gen.UShort.Select(v => (DlmsValue)new LongUnsigned(v)),
        [DataTag.Long64] = Gen.Long.Select(v => (DlmsValue)new Long64(v)),
        [DataTag.Long64Unsigned] = Gen.ULong.Select(v => (DlmsValue)new Long64Unsigned(v)),
        [DataTag.Enum] = Gen.Byte.Select(v => (DlmsValue)new DlmsEnum(v)),
        [DataTag.Float32] = Gen.UInt.Select(v => (DlmsValue)new Float32(BitConverter.UInt32BitsToSingle(v))),
        [DataTag.Float64] = Gen.ULong.Select(v => (DlmsValue)new Float64(BitConverter.UInt64BitsToDouble(v))),
        [DataTag.DateTime] = DateTime.Select(v => (DlmsValue)new DlmsDateTime(v)),
        [DataTag.Date] = Date.Select(v => (DlmsValue)new DlmsDate(v)),
        [DataTag.Time] = Time.Select(v => (DlmsValue)new DlmsTime(v)),
    };

    public static readonly Gen<DlmsValue> Simple = Gen.OneOf(SimpleByTag.Values.ToArray());

    /// <summary>Any value, containers nested up to three levels, compact-arrays included.</summary>
    private static Gen<DlmsValue>? _value;

    public static Gen<DlmsValue> Value => _value ??= Nested(3);

    private static Gen<DlmsValue> Nested(int depth)
    {
        if (depth == 0)
        {
            return Simple;
        }
        var inner = Nested(depth - 1);
        return Gen.Frequency(
            (6, Simple),
            (1, inner.Array[0, 4].Select(items => (DlmsValue)new DlmsArray(new ValueList<DlmsValue>(items)))),
            (1, inner.Array[0, 4].Select(items => (DlmsValue)new DlmsStructure(new ValueList<DlmsValue>(items)))),
            (1, CompactArray));
    }

    private static readonly DataTag[] SimpleTags =
    [
        DataTag.Boolean, DataTag.DoubleLong, DataTag.DoubleLongUnsigned, DataTag.OctetString, DataTag.VisibleString,
        DataTag.Utf8String, DataTag.Bcd, DataTag.Integer, DataTag.Long, DataTag.Unsigned, DataTag.LongUnsigned,
        DataTag.Long64, DataTag.Long64Unsigned, DataTag.Enum, DataTag.Float32, DataTag.Float64, DataTag.DateTime,
        DataTag.Date, DataTag.Time, DataTag.BitString, DataTag.NullData,
    ];

    private static readonly Gen<TypeDescription> Description = Gen.OneOf(
        Pick(SimpleTags).Where(t => t != DataTag.NullData).Select(t => (TypeDescription)new SimpleType(t)),
        Pick(SimpleTags).Array[1, 4].Select(tags =>
            (TypeDescription)new StructureType(new ValueList<TypeDescription>(tags.Select(t => (TypeDescription)new SimpleType(t))))),
        Gen.Select(Gen.UShort[1, 3], Pick(SimpleTags).Where(t => t != DataTag.NullData)).Select(t =>
            (TypeDescription)new ArrayType(t.Item1, new SimpleType(t.Item2))))
        .Where(d => d is not StructureType s || s.Fields.Any(f => f is SimpleType { Type: not DataTag.NullData }));

    public static readonly Gen<DlmsValue> CompactArray = Description.SelectMany(d =>
        ElementOf(d).Array[0, 4].Select(e => (DlmsValue)new CompactArray(d, new ValueList<DlmsValue>(e))));

    private static Gen<DlmsValue> ElementOf(TypeDescription description) => description switch
    {
        SimpleType s => SimpleByTag[s.Type],
        ArrayType a => ElementOf(a.Element).Array[a.Count].Select(items => (DlmsValue)new DlmsArray(new ValueList<DlmsValue>(items))),
        StructureType st => st.Fields.Aggregate(
                Gen.Const(Array.Empty<DlmsValue>),
                (acc, field) => acc.SelectMany(values => ElementOf(field).Select(v => values.Append(v).ToArray())))
            .Select(fields => (DlmsValue)new DlmsStructure(new ValueList<DlmsValue>(fields))),
        _ => throw new ArgumentOutOfRangeException(nameof(description)),
    };

    public static Gen<T> Pick<T>(T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    public static readonly Gen<ObisCode> Obis =
        Gen.Byte.Array[6].Select(b => ObisCode.FromBytes(b));

    public static readonly Gen<CosemAttributeDescriptor> Attribute =
        Gen.Select(Gen.UShort, Obis, Gen.SByte).Select(t => new CosemAttributeDescriptor(t.Item1, t.Item2, t.Item3));

    public static readonly Gen<CosemMethodDescriptor> Method =
        Gen.Select(Gen.UShort, Obis, Gen.SByte).Select(t => new CosemMethodDescriptor(t.Item1, t.Item2, t.Item3));

    public static readonly Gen<SelectiveAccess?> Access = Gen.Frequency(
        (1, Gen.Const(() => (SelectiveAccess?)null)),
        (2, Gen.Select(Gen.Byte, Value).Select(t => (SelectiveAccess?)new SelectiveAccess(t.Item1, t.Item2))));

    public static readonly Gen<AttributeWithSelection> AttributeWithSelection =
        Gen.Select(Attribute, Access).Select(t => new AttributeWithSelection(t.Item1, t.Item2));
}
