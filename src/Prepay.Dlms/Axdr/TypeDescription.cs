namespace Prepay.Dlms.Axdr;

/// <summary>
/// The element type of a compact-array (Blue Book §4.1.5, "TypeDescription ::= CHOICE"): a simple type by its
/// tag, an array of a fixed number of elements [1] (Unsigned16 count, then the element's description), or a
/// structure [2] (a SEQUENCE OF descriptions).
/// </summary>
public abstract record TypeDescription
{
    private protected TypeDescription() { }

    internal abstract void Write(DlmsWriter writer);

    /// <summary>The fewest content bytes an element of this type takes; compact-arrays of zero-size elements are refused.</summary>
    internal abstract long MinimumContentSize { get; }
}

/// <summary>A simple (non-container) type, described by its tag alone.</summary>
public sealed record SimpleType(DataTag Type) : TypeDescription
{
    internal override void Write(DlmsWriter writer) => writer.WriteByte((byte)Type);

    internal override long MinimumContentSize => AxdrDecoder.MinimumContentSize(Type);
}

/// <summary>array [1]: <see cref="Count"/> elements of <see cref="Element"/>.</summary>
public sealed record ArrayType(ushort Count, TypeDescription Element) : TypeDescription
{
    internal override void Write(DlmsWriter writer)
    {
        writer.WriteByte((byte)DataTag.Array);
        writer.WriteUInt16(Count);
        Element.Write(writer);
    }

    internal override long MinimumContentSize => AxdrDecoder.SaturatingMultiply(Count, Element.MinimumContentSize);
}

/// <summary>structure [2]: one field per description.</summary>
public sealed record StructureType(ValueList<TypeDescription> Fields) : TypeDescription
{
    internal override void Write(DlmsWriter writer)
    {
        writer.WriteByte((byte)DataTag.Structure);
        writer.WriteLength(Fields.Count);
        foreach (var field in Fields.AsSpan())
        {
            field.Write(writer);
        }
    }

    internal override long MinimumContentSize =>
        Fields.Aggregate(0L, (sum, f) => Math.Min(sum + f.MinimumContentSize, int.MaxValue));
}
