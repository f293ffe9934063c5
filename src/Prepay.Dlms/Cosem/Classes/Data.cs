using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// Data, class 1 version 0 (Blue Book Ed. 12 §4.3.1): attribute 2 value (any type). The value is either stored
/// (writable when asked) or read from a live source such as a firmware counter.
/// </summary>
public sealed class Data : CosemObject
{
    private readonly Func<DlmsValue>? _source;
    private readonly bool _writable;
    private DlmsValue _value;

    public Data(ObisCode logicalName, DlmsValue value, bool writable = false) : base(logicalName)
    {
        _value = value;
        _writable = writable;
    }

    public Data(ObisCode logicalName, Func<DlmsValue> source) : base(logicalName)
    {
        _source = source;
        _value = NullData.Instance;
    }

    public override ushort ClassId => 1;

    public override int AttributeCount => 2;

    protected override AttributeRead Read(int attributeId) => AttributeRead.Of(_source?.Invoke() ?? _value);

    protected override DataAccessResult Write(int attributeId, DlmsValue value)
    {
        if (!_writable || _source is not null)
        {
            return DataAccessResult.ReadWriteDenied;
        }
        _value = value;
        return DataAccessResult.Success;
    }
}
