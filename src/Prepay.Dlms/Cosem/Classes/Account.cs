using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using static Prepay.Dlms.Cosem.Classes.CosemValues;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>account_status of Account (Blue Book Ed. 12 §4.6.2).</summary>
public enum AccountStatus : byte
{
    NewInactive = 1,
    Active = 2,
    Closed = 3,
}

/// <summary>
/// Account, class 111 version 0 (Blue Book Ed. 12 §4.6.2, payment metering), usually 0.0.19.0.0.255:
/// 2 account_mode_and_status { payment_mode (1 credit, 2 prepayment), account_status }, 3 current_credit_in_use,
/// 4 current_credit_status, 5 available_credit, 6 amount_to_clear, 7 clearance_threshold, 8 aggregated_debt,
/// 9 credit_reference_list, 10 charge_reference_list, 11 credit_charge_configuration,
/// 12 token_gateway_configuration, 13 account_activation_time, 14 account_closure_time, 15 currency
/// { name, scale, unit }, 16 low_credit_threshold, 17 next_credit_available_threshold, 18 max_provision,
/// 19 max_provision_period. Methods 1 activate_account, 2 close_account, 3 reset_account. Amounts are
/// double-long in the currency's minor units scaled by 10^scale.
/// </summary>
public sealed class Account : CosemObject
{
    private readonly AttributeTable _table = new(19);
    private AccountStatus _status = AccountStatus.Active;

    public Account(ObisCode logicalName, string currencyName, sbyte currencyScale, Func<long> availableCredit,
        IReadOnlyList<ObisCode> credits, IReadOnlyList<ObisCode> charges, IReadOnlyList<ObisCode> tokenGateways, int lowCreditThreshold = 0)
        : base(logicalName)
    {
        ArgumentNullException.ThrowIfNull(availableCredit);
        _table.DefineLive(2, () => Structure(new DlmsEnum(2), new DlmsEnum((byte)_status)))
            .Define(3, new Unsigned(0))
            .DefineLive(4, () => Bits8(availableCredit() > 0 ? (byte)0x80 : (byte)0x00)) // bit 0 in credit
            .DefineLive(5, () => new DoubleLong(ClampToInt32(availableCredit())))
            .Define(6, new DoubleLong(0))
            .Define(7, new DoubleLong(0), writable: true)
            .Define(8, new DoubleLong(0))
            .Define(9, Array(credits.Select(c => (DlmsValue)Name(c))))
            .Define(10, Array(charges.Select(c => (DlmsValue)Name(c))))
            .Define(11, Array([]))
            .Define(12, Array(tokenGateways.Select(t => (DlmsValue)Structure(Name(t), new Unsigned(100)))))
            .Define(13, UnspecifiedDateTime)
            .Define(14, UnspecifiedDateTime)
            .Define(15, Structure(new Utf8String(currencyName), new Integer(currencyScale), new DlmsEnum(0)))
            .Define(16, new DoubleLong(lowCreditThreshold), writable: true)
            .Define(17, new DoubleLong(0), writable: true)
            .Define(18, new LongUnsigned(0), writable: true)
            .Define(19, new DoubleLongUnsigned(0), writable: true);
    }

    public static ObisCode StandardName { get; } = new(0, 0, 19, 0, 0, 255);

    public override ushort ClassId => 111;

    public override int AttributeCount => 19;

    public override int MethodCount => 3;

    public AccountStatus Status
    {
        get
        {
            lock (Sync)
            {
                return _status;
            }
        }
    }

    protected override AttributeRead Read(int attributeId) => _table.Read(attributeId);

    protected override DataAccessResult Write(int attributeId, DlmsValue value) => _table.Write(attributeId, value);

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        _status = methodId switch
        {
            1 => AccountStatus.Active,
            2 => AccountStatus.Closed,
            _ => AccountStatus.NewInactive,
        };
        return MethodOutcome.Success;
    }

    internal static int ClampToInt32(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
