using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using static Prepay.Dlms.Cosem.Classes.CosemValues;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>
/// Charge, class 113 version 0 (Blue Book Ed. 12 §4.6.4): 2 total_amount_paid, 3 charge_type (0 consumption-based,
/// 1 time-based, 2 payment-event-based), 4 priority, 5 unit_charge_active, 6 unit_charge_passive,
/// 7 unit_charge_activation_time, 8 period, 9 charge_configuration, 10 last_collection_time,
/// 11 last_collection_amount, 12 total_amount_remaining, 13 proportion. unit_charge is structure
/// { charge_per_unit_scaling { commodity_scale, price_scale }, commodity { class, name, attribute },
/// charge_table array of { index, charge_per_unit } }. Methods 1 update_unit_charge (sets the passive one),
/// 2 activate_passive_unit_charge, 3 collect (refused: collection is the firmware's), 4
/// update_total_amount_remaining (adds), 5 set_total_amount_remaining.
/// </summary>
public sealed class Charge : CosemObject
{
    private readonly AttributeTable _table = new(13);

    public Charge(ObisCode logicalName, byte chargeType, DlmsStructure unitCharge) : base(logicalName)
    {
        _table.Define(2, new DoubleLong(0))
            .Define(3, new DlmsEnum(chargeType))
            .Define(4, new Unsigned(1))
            .Define(5, unitCharge)
            .Define(6, unitCharge, writable: true)
            .Define(7, UnspecifiedDateTime, writable: true)
            .Define(8, new DoubleLongUnsigned(0), writable: true)
            .Define(9, Bits8(0))
            .Define(10, UnspecifiedDateTime)
            .Define(11, new DoubleLong(0))
            .Define(12, new DoubleLong(0))
            .Define(13, new LongUnsigned(0), writable: true);
    }

    /// <summary>A unit charge of one price per unit of <paramref name="commodity"/>.</summary>
    public static DlmsStructure UnitCharge(sbyte commodityScale, sbyte priceScale, CaptureObject commodity, short chargePerUnit) =>
        Structure(
            Structure(new Integer(commodityScale), new Integer(priceScale)),
            Structure(new LongUnsigned(commodity.ClassId), Name(commodity.LogicalName), new Integer(commodity.AttributeId)),
            Array([Structure(Bytes([0]), new Long(chargePerUnit))]));

    public override ushort ClassId => 113;

    public override int AttributeCount => 13;

    public override int MethodCount => 5;

    protected override AttributeRead Read(int attributeId) => _table.Read(attributeId);

    protected override DataAccessResult Write(int attributeId, DlmsValue value) => _table.Write(attributeId, value);

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        switch (methodId, parameters)
        {
            case (1, DlmsStructure unitCharge):
                _table[6] = unitCharge;
                return MethodOutcome.Success;
            case (2, _):
                _table[5] = _table[6];
                return MethodOutcome.Success;
            case (4, DoubleLong amount):
                _table[12] = new DoubleLong(Account.ClampToInt32((long)((DoubleLong)_table[12]).Value + amount.Value));
                return MethodOutcome.Success;
            case (5, DoubleLong amount):
                _table[12] = amount;
                return MethodOutcome.Success;
            case (3, _):
                return MethodOutcome.Of(ActionResult.ReadWriteDenied);
            default:
                return MethodOutcome.Of(ActionResult.TypeUnmatched);
        }
    }
}
