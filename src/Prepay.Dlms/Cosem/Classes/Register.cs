using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// Register, class 3 version 0 (Blue Book Ed. 12 §4.3.2): 2 value, 3 scaler_unit; method 1 reset (data = integer 0)
/// sets the value to its default. A live register reads its value from a source and cannot be reset here.
/// </summary>
public sealed class Register : CosemObject
{
    private readonly Func<DlmsValue>? _source;
    private readonly DlmsValue _resetValue;
    private DlmsValue _value;

    public Register(ObisCode logicalName, ScalerUnit scalerUnit, Func<DlmsValue> source) : base(logicalName)
    {
        ScalerUnit = scalerUnit;
        _source = source;
        _value = _resetValue = NullData.Instance;
    }

    public Register(ObisCode logicalName, ScalerUnit scalerUnit, DlmsValue value) : base(logicalName)
    {
        ScalerUnit = scalerUnit;
        _value = value;
        _resetValue = value;
    }

    public ScalerUnit ScalerUnit { get; }

    public override ushort ClassId => 3;

    public override int AttributeCount => 3;

    public override int MethodCount => 1;

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(_source?.Invoke() ?? _value),
        _ => AttributeRead.Of(ScalerUnit.ToValue()),
    };

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        if (_source is not null)
        {
            return MethodOutcome.Of(ActionResult.ReadWriteDenied);
        }
        _value = _resetValue;
        return MethodOutcome.Success;
    }
}
