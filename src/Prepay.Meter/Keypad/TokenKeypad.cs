using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;

namespace Prepay.Meter.Keypad;

/// <summary>
/// The keypad in front of the STS decoder (<see cref="MeterDecoder"/>: CRC, TID memory, key changes). The decoder
/// keeps its own token-unit registers; the meter's credit in Wh is separate, so only what a token asks for is
/// passed on. IEC 62055-41 §6.3: class 0 amounts are in 0.1 kWh, i.e. 100 Wh per unit.
/// </summary>
internal sealed class TokenKeypad(MeterState state)
{
    public const long WhPerUnit = 100;

    private readonly MeterDecoder _decoder = new(state);

    public MeterState State => _decoder.State;

    public KeypadEntry Enter(string digits)
    {
        var token = _decoder.Enter(digits);
        if (token.Result != KeypadResult.Accept || token.Data is not { } data)
        {
            return new KeypadEntry(token, KeypadAction.None, 0);
        }

        return data.Class switch
        {
            TokenClass.CreditTransfer when data.Subclass == (int)CreditSubclass.Electricity =>
                new KeypadEntry(token, KeypadAction.AddCredit, data.Amount.Units * WhPerUnit),
            TokenClass.MeterSpecificManagement => Management(token, data),
            _ => new KeypadEntry(token, KeypadAction.None, 0),
        };
    }

    private static KeypadEntry Management(TokenEntry token, TokenData data) => (ManagementSubclass)data.Subclass switch
    {
        // IEC 62055-41: the limit's watts are in the TransferAmount format, like a credit amount.
        ManagementSubclass.SetMaximumPowerLimit => new KeypadEntry(token, KeypadAction.SetPowerLimit, data.Amount.Units),
        ManagementSubclass.ClearCredit when (data.Field & 1) != 0 => new KeypadEntry(token, KeypadAction.ClearCredit, 0),
        ManagementSubclass.ClearTamperCondition => new KeypadEntry(token, KeypadAction.ClearTamper, 0),
        _ => new KeypadEntry(token, KeypadAction.None, 0),
    };
}
