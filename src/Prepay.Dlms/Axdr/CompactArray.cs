namespace Prepay.Dlms.Axdr;

/// <summary>
/// compact-array [19] (Blue Book §4.1.5): the element type once, then the elements' contents without tags inside
/// one octet-string (contents-description, array-contents). Every element must match <see cref="Description"/>.
/// </summary>
public sealed record CompactArray(TypeDescription Description, ValueList<DlmsValue> Elements) : DlmsValue
{
    public override DataTag Tag => DataTag.CompactArray;

    internal override void WriteContent(DlmsWriter writer)
    {
        Description.Write(writer);
        var contents = new DlmsWriter();
        foreach (var element in Elements.AsSpan())
        {
            WriteElement(contents, Description, element);
        }
        writer.WriteOctetString(contents.WrittenSpan);
    }

    private static void WriteElement(DlmsWriter writer, TypeDescription description, DlmsValue value)
    {
        switch (description, value)
        {
            case (SimpleType simple, _) when simple.Type == value.Tag:
                value.WriteContent(writer);
                break;
            case (ArrayType array, DlmsArray items) when items.Items.Count == array.Count:
                foreach (var item in items.Items.AsSpan())
                {
                    WriteElement(writer, array.Element, item);
                }
                break;
            case (StructureType structure, DlmsStructure fields) when fields.Fields.Count == structure.Fields.Count:
                for (int i = 0; i < fields.Fields.Count; i++)
                {
                    WriteElement(writer, structure.Fields[i], fields.Fields[i]);
                }
                break;
            default:
                throw new ArgumentException($"Element {value} does not match the compact-array description {description}.");
        }
    }
}
