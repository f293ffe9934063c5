using Prepay.Sts;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;

namespace Prepay.Simulator.Tokens;

/// <summary>
/// A virtual token meter's decoder state, derived from the vending key the way the server's token generator does
/// (DKGA-02 for a 64-bit key, DKGA-04 for a 160-bit one; PAN = the IIN the meter number's length calls for, or the override, + meter number), so the meter accepts the
/// server's tokens. Only for TEST vending keys: a simulator has no business holding a real supply group's key.
/// </summary>
public static class DecoderKeys
{
    public static MeterState For(VendingKey vendingKey, string? iin, string meterNumber, TokenMeterParameters p)
    {
        var input = KeyDerivationInput.Create(p.SupplyGroupCode, p.TariffIndex, p.KeyRevisionNumber, p.KeyType, PrimaryAccountNumber.ForDecoderReference(meterNumber, iin));
        DecoderKey key;
        if (vendingKey.Bits == 160)
        {
            key = new Dkga04(vendingKey).Derive(input, p.BaseDate, p.Algorithm);
        }
        else
        {
            using var dkga02 = new Dkga02(vendingKey);
            key = dkga02.Derive(input);
        }
        return new MeterState
        {
            DecoderKey = key, Algorithm = p.Algorithm, BaseDate = p.BaseDate, KeyRevisionNumber = p.KeyRevisionNumber,
            KeyType = p.KeyType, TariffIndex = p.TariffIndex, SupplyGroupCode = p.SupplyGroupCode,
        };
    }

    /// <summary>A decoder no token opens: for smart meters, which get credit by command, never by keypad.</summary>
    public static MeterState None => new() { DecoderKey = DecoderKey.From64(0x0123_4567_89AB_CDEF), Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y2014 };
}

/// <summary>A token meter's STS parameters as the server keeps them.</summary>
public sealed record TokenMeterParameters(int SupplyGroupCode, int KeyRevisionNumber, int TariffIndex, int KeyType, EncryptionAlgorithm Algorithm, BaseDate BaseDate);
