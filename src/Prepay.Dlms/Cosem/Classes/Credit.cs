using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using static Prepay.Dlms.Cosem.Classes.CosemValues;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>credit_type of Credit (Blue Book Ed. 12 §4.6.3).</summary>
public enum CreditType : byte
{
    Token = 0,
    Reserved = 1,
    Emergency = 2,
    TimeBased = 3,
    ConsumptionBased = 4,
}

/// <summary>
/// Credit, class 112 version 0 (Blue Book Ed. 12 §4.6.3), e.g. 0.0.19.10.0.255: 2 current_credit_amount,
/// 3 credit_type, 4 priority, 5 warning_threshold, 6 limit, 7 credit_configuration, 8 credit_status (0 enabled,
/// 1 selectable, 2 selected/invoked, 3 in use, 4 exhausted), 9 preset_credit_amount, 10 credit_available_threshold,
/// 11 period. Methods 1 update_amount (adds), 2 set_amount_to_value, 3 invoke_credit. A credit whose amount is
/// the firmware's live balance refuses methods 1 and 2: its amount moves only by tokens and consumption.
/// </summary>
public sealed class Credit : CosemObject
{
    private readonly AttributeTable _table = new(11);

    public Credit(ObisCode logicalName, CreditType type, byte priority, Func<long>? liveAmount = null, long initialAmount = 0) : base(logicalName)
    {
        if (liveAmount is null)
        {
            _table.Define(2, new DoubleLong(Account.ClampToInt32(initialAmount)));
        }
        else
        {
            _table.DefineLive(2, () => new DoubleLong(Account.ClampToInt32(liveAmount())));
        }
        _table.Define(3, new DlmsEnum((byte)type))
            .Define(4, new Unsigned(priority))
            .Define(5, new DoubleLong(0), writable: true)
            .Define(6, new DoubleLong(0), writable: true)
            .Define(7, Bits8(0))
            .DefineLive(8, () => new DlmsEnum(CosemValues.AsInteger(_table[2]) > 0 ? (byte)3 : (byte)4))
            .Define(9, new DoubleLong(0), writable: true)
            .Define(10, new DoubleLong(0), writable: true)
            .Define(11, new DoubleLongUnsigned(0), writable: true);
    }

    public static ObisCode StandardName { get; } = new(0, 0, 19, 10, 0, 255);

    public override ushort ClassId => 112;

    public override int AttributeCount => 11;

    public override int MethodCount => 3;

    protected override AttributeRead Read(int attributeId) => _table.Read(attributeId);

    protected override DataAccessResult Write(int attributeId, DlmsValue value) => _table.Write(attributeId, value);

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        if (methodId == 3)
        {
            return MethodOutcome.Success;
        }
        if (_table.IsLive(2))
        {
            return MethodOutcome.Of(ActionResult.ReadWriteDenied);
        }
        if (parameters is not DoubleLong amount)
        {
            return MethodOutcome.Of(ActionResult.TypeUnmatched);
        }
        long current = ((DoubleLong)_table[2]).Value;
        _table[2] = new DoubleLong(Account.ClampToInt32(methodId == 1 ? current + amount.Value : amount.Value));
        return MethodOutcome.Success;
    }
}
