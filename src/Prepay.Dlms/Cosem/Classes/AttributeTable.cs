using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// Stored attribute values of a class whose attributes are mostly parameters (limiter, account, credit, charge):
/// one slot per attribute id, each read-only or writable. A write must keep the attribute's type (same Data tag),
/// or it is refused as type-unmatched (Green Book, Data-Access-Result).
/// </summary>
public sealed class AttributeTable
{
    private readonly DlmsValue?[] _values;
    private readonly bool[] _writable;
    private readonly Func<DlmsValue>?[] _live;

    public AttributeTable(int attributeCount)
    {
        _values = new DlmsValue?[attributeCount + 1];
        _writable = new bool[attributeCount + 1];
        _live = new Func<DlmsValue>?[attributeCount + 1];
    }

    public DlmsValue this[int attributeId]
    {
        get => _live[attributeId]?.Invoke() ?? _values[attributeId] ?? NullData.Instance;
        set => _values[attributeId] = value;
    }

    public AttributeTable Define(int attributeId, DlmsValue initial, bool writable = false)
    {
        _values[attributeId] = initial;
        _writable[attributeId] = writable;
        return this;
    }

    /// <summary>A read-only attribute read from a live source (a firmware balance) each time.</summary>
    public AttributeTable DefineLive(int attributeId, Func<DlmsValue> source)
    {
        _live[attributeId] = source;
        _writable[attributeId] = false;
        return this;
    }

    public bool IsLive(int attributeId) => _live[attributeId] is not null;

    public AttributeRead Read(int attributeId) => AttributeRead.Of(this[attributeId]);

    public DataAccessResult Write(int attributeId, DlmsValue value)
    {
        if (!_writable[attributeId])
        {
            return DataAccessResult.ReadWriteDenied;
        }
        if (_values[attributeId] is { } current && current is not NullData && current.Tag != value.Tag)
        {
            return DataAccessResult.TypeUnmatched;
        }
        _values[attributeId] = value;
        return DataAccessResult.Success;
    }
}
