using NodaTime;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// Extended register, class 4 version 0 (Blue Book Ed. 12 §4.3.3): 2 value, 3 scaler_unit, 4 status, 5 capture_time
/// (date-time as octet-string); method 1 reset. <see cref="Capture"/> stores a value with its time, as a
/// demand or maximum register does.
/// </summary>
public sealed class ExtendedRegister : CosemObject
{
    private readonly DlmsValue _resetValue;
    private DlmsValue _value;
    private DlmsValue _status = NullData.Instance;
    private DlmsValue _captureTime = CosemValues.UnspecifiedDateTime;

    public ExtendedRegister(ObisCode logicalName, ScalerUnit scalerUnit, DlmsValue initial) : base(logicalName)
    {
        ScalerUnit = scalerUnit;
        _value = _resetValue = initial;
    }

    public ScalerUnit ScalerUnit { get; }

    public override ushort ClassId => 4;

    public override int AttributeCount => 5;

    public override int MethodCount => 1;

    public void Capture(DlmsValue value, DlmsValue status, OffsetDateTime at)
    {
        lock (Sync)
        {
            _value = value;
            _status = status;
            _captureTime = CosemValues.DateTime(CosemDateTime.From(at));
        }
    }

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(_value),
        3 => AttributeRead.Of(ScalerUnit.ToValue()),
        4 => AttributeRead.Of(_status),
        _ => AttributeRead.Of(_captureTime),
    };

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        _value = _resetValue;
        _status = NullData.Instance;
        _captureTime = CosemValues.UnspecifiedDateTime;
        return MethodOutcome.Success;
    }
}
