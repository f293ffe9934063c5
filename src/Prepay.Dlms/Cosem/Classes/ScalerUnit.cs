using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// scaler_unit of the register classes (Blue Book Ed. 12 §4.3.2): structure { scaler integer, unit enum }; the
/// physical value is value × 10^scaler in the unit. Units from the Blue Book's unit table: 27 W, 30 Wh, 33 A, 35 V.
/// </summary>
public readonly record struct ScalerUnit(sbyte Scaler, byte Unit)
{
    public const byte Watt = 27;
    public const byte WattHour = 30;
    public const byte Ampere = 33;
    public const byte Volt = 35;

    public DlmsStructure ToValue() => CosemValues.Structure(new Integer(Scaler), new DlmsEnum(Unit));

    public static ScalerUnit? FromValue(DlmsValue value) =>
        value is DlmsStructure { Fields: { Count: 2 } f } && f[0] is Integer s && f[1] is DlmsEnum u ? new ScalerUnit(s.Value, u.Value) : null;
}
