using NodaTime;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>One column of a profile: capture_object_definition (Blue Book Ed. 12 §4.3.6).</summary>
public readonly record struct CaptureObject(ushort ClassId, ObisCode LogicalName, sbyte AttributeId, ushort DataIndex = 0)
{
    public DlmsStructure ToValue() => CosemValues.Structure(
        new LongUnsigned(ClassId), CosemValues.Name(LogicalName), new Integer(AttributeId), new LongUnsigned(DataIndex));

    public static CaptureObject? FromValue(DlmsValue value) =>
        value is DlmsStructure { Fields: { Count: 4 } f } && f[0] is LongUnsigned c && f[1] is OctetString { Value.Length: ObisCode.Size } n
            && f[2] is Integer a && f[3] is LongUnsigned i
            ? new CaptureObject(c.Value, ObisCode.FromBytes(n.Value.Span), a.Value, i.Value)
            : null;
}

/// <summary>
/// Profile generic, class 7 version 1 (Blue Book Ed. 12 §4.3.6): 2 buffer (array of rows), 3 capture_objects,
/// 4 capture_period (seconds), 5 sort_method (1 FIFO), 6 sort_object, 7 entries_in_use, 8 profile_entries;
/// methods 1 reset, 2 capture. The buffer reads whole or by selective access: selector 1 range_descriptor
/// (restricting object, from and to value, selected columns) and selector 2 entry_descriptor (from and to entry,
/// from and to column, 1-based, 0 = to the last). Date-time columns compare as instants.
/// </summary>
public sealed class ProfileGeneric : CosemObject
{
    private readonly IReadOnlyList<(CaptureObject Column, ICosemObject Source)> _columns;
    private readonly List<DlmsValue[]> _rows = [];
    private readonly uint _capturePeriodSeconds;
    private readonly uint _profileEntries;

    public ProfileGeneric(ObisCode logicalName, IReadOnlyList<ICosemObject> sources, IReadOnlyList<sbyte> attributes, uint capturePeriodSeconds, uint profileEntries)
        : base(logicalName)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(attributes);
        if (sources.Count != attributes.Count || profileEntries == 0)
        {
            throw new ArgumentException("One attribute per capture object, and room for at least one entry.");
        }
        _columns = [.. sources.Select((s, i) => (new CaptureObject(s.ClassId, s.LogicalName, attributes[i]), s))];
        _capturePeriodSeconds = capturePeriodSeconds;
        _profileEntries = profileEntries;
    }

    public override ushort ClassId => 7;

    public override byte Version => 1;

    public override int AttributeCount => 8;

    public override int MethodCount => 2;

    public int EntriesInUse
    {
        get
        {
            lock (Sync)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>Appends one row read from the capture objects now; the oldest row goes when the buffer is full (FIFO).</summary>
    public void Capture()
    {
        lock (Sync)
        {
            CaptureRow();
        }
    }

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(Buffer(_rows, null)),
        3 => AttributeRead.Of(CosemValues.Array(_columns.Select(c => (DlmsValue)c.Column.ToValue()))),
        4 => AttributeRead.Of(new DoubleLongUnsigned(_capturePeriodSeconds)),
        5 => AttributeRead.Of(new DlmsEnum(1)),
        6 => AttributeRead.Of(new CaptureObject(0, default, 0).ToValue()),
        7 => AttributeRead.Of(new DoubleLongUnsigned((uint)_rows.Count)),
        _ => AttributeRead.Of(new DoubleLongUnsigned(_profileEntries)),
    };

    protected override AttributeRead ReadSelected(int attributeId, SelectiveAccess access)
    {
        if (attributeId != 2)
        {
            return AttributeRead.Failed(DataAccessResult.ScopeOfAccessViolated);
        }
        return access.Selector switch
        {
            1 => ByRange(access.Parameters),
            2 => ByEntry(access.Parameters),
            _ => AttributeRead.Failed(DataAccessResult.ScopeOfAccessViolated),
        };
    }

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        if (methodId == 1)
        {
            _rows.Clear();
        }
        else
        {
            CaptureRow();
        }
        return MethodOutcome.Success;
    }

    private void CaptureRow()
    {
        var row = _columns.Select(c => c.Source.Get(c.Column.AttributeId).Value ?? NullData.Instance).ToArray();
        if (_rows.Count == _profileEntries)
        {
            _rows.RemoveAt(0);
        }
        _rows.Add(row);
    }

    // range_descriptor ::= structure { restricting_object, from_value, to_value, selected_values array }
    private AttributeRead ByRange(DlmsValue parameters)
    {
        if (parameters is not DlmsStructure { Fields: { Count: 4 } f } || CaptureObject.FromValue(f[0]) is not { } restricting
            || f[3] is not DlmsArray selected)
        {
            return AttributeRead.Failed(DataAccessResult.TypeUnmatched);
        }
        int column = IndexOf(restricting);
        var columns = SelectedColumns(selected);
        if (column < 0 || columns is null)
        {
            return AttributeRead.Failed(DataAccessResult.ObjectUnavailable);
        }
        var rows = _rows.Where(row => Compare(row[column], f[1]) >= 0 && Compare(row[column], f[2]) <= 0);
        return AttributeRead.Of(Buffer(rows, columns));
    }

    // entry_descriptor ::= structure { from_entry, to_entry double-long-unsigned, from_selected_value, to_selected_value long-unsigned }
    private AttributeRead ByEntry(DlmsValue parameters)
    {
        if (parameters is not DlmsStructure { Fields: { Count: 4 } f } || f[0] is not DoubleLongUnsigned from || f[1] is not DoubleLongUnsigned to
            || f[2] is not LongUnsigned firstColumn || f[3] is not LongUnsigned lastColumn)
        {
            return AttributeRead.Failed(DataAccessResult.TypeUnmatched);
        }
        long first = Math.Max(1, (long)from.Value);
        long last = to.Value == 0 ? _rows.Count : Math.Min(to.Value, _rows.Count);
        int c0 = Math.Max(1, (int)firstColumn.Value) - 1;
        int c1 = lastColumn.Value == 0 ? _columns.Count - 1 : Math.Min(lastColumn.Value, _columns.Count) - 1;
        var columns = Enumerable.Range(c0, Math.Max(0, c1 - c0 + 1)).ToArray();
        var rows = _rows.Skip((int)(first - 1)).Take((int)Math.Max(0, last - first + 1));
        return AttributeRead.Of(Buffer(rows, columns));
    }

    private int IndexOf(CaptureObject wanted)
    {
        for (int i = 0; i < _columns.Count; i++)
        {
            var c = _columns[i].Column;
            if (c.ClassId == wanted.ClassId && c.LogicalName == wanted.LogicalName && c.AttributeId == wanted.AttributeId)
            {
                return i;
            }
        }
        return -1;
    }

    private int[]? SelectedColumns(DlmsArray selected)
    {
        if (selected.Items.Count == 0)
        {
            return [.. Enumerable.Range(0, _columns.Count)];
        }
        var indices = selected.Items.Select(v => CaptureObject.FromValue(v) is { } c ? IndexOf(c) : -1).ToArray();
        return indices.Any(i => i < 0) ? null : indices;
    }

    private static DlmsArray Buffer(IEnumerable<DlmsValue[]> rows, int[]? columns) => CosemValues.Array(rows.Select(
        row => (DlmsValue)new DlmsStructure(new ValueList<DlmsValue>(columns is null ? row : columns.Select(i => row[i])))));

    /// <summary>Orders a cell against a bound: date-times (octet-string or date-time type) by instant, numbers by value.</summary>
    private static int Compare(DlmsValue cell, DlmsValue bound)
    {
        if (AsInstant(cell) is { } a && AsInstant(bound) is { } b)
        {
            return a.CompareTo(b);
        }
        if (CosemValues.AsInteger(cell) is { } x && CosemValues.AsInteger(bound) is { } y)
        {
            return x.CompareTo(y);
        }
        return -2; // incomparable: outside any range
    }

    private static Instant? AsInstant(DlmsValue value)
    {
        try
        {
            return value switch
            {
                OctetString { Value.Length: CosemDateTime.Size } o => CosemDateTime.FromOctets(o.Value.Span).ToOffsetDateTime()?.ToInstant(),
                DlmsDateTime d => d.Value.ToOffsetDateTime()?.ToInstant(),
                _ => null,
            };
        }
        catch (DlmsFormatException)
        {
            return null;
        }
    }
}
