using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Sts;

/// <summary>
/// The vending side's entry point: issue tokens as 20-digit strings. Each call builds the key schedule; for
/// bulk or hot paths keep a <see cref="TokenCodec"/> per decoder key instead.
/// </summary>
public static class StsTokenIssuer
{
    /// <summary>
    /// A class 0 credit token. <paramref name="tid"/> is minutes since <paramref name="baseDate"/>
    /// (see <see cref="TokenIdentifier.FromInstant"/>); <paramref name="amountUnits"/> must be exactly
    /// representable (round with <see cref="TransferAmount.FromUnitsRoundingDown"/> first and book that amount).
    /// </summary>
    public static string IssueCreditToken(DecoderKey key, EncryptionAlgorithm ea, BaseDate baseDate, int subclass, uint tid, long amountUnits, int rnd)
    {
        _ = TokenIdentifier.FromMinutes(tid, baseDate);
        var data = TokenData.CreditTransfer(subclass, rnd, tid, TransferAmount.FromUnitsExact(amountUnits));
        return Issue(key, ea, data);
    }

    /// <summary>
    /// A class 2 management token with RND, TID and a 16-bit value as carried (register mask, rate...). For the power
    /// limits the value is a TransferAmount's bits; prefer <see cref="IssuePowerLimitToken"/>.
    /// </summary>
    public static string IssueManagementToken(DecoderKey key, EncryptionAlgorithm ea, BaseDate baseDate, ManagementSubclass subclass, uint tid, ushort value, int rnd)
    {
        _ = TokenIdentifier.FromMinutes(tid, baseDate);
        return Issue(key, ea, TokenData.Management(subclass, rnd, tid, value));
    }

    /// <summary>
    /// A class 2 power limit token (subclass 0, maximum power limit, or 6, maximum phase power unbalance limit):
    /// <paramref name="watts"/> in the TransferAmount format, which must hold it exactly (round with
    /// <see cref="TransferAmount.FromUnitsRoundingUp"/> first). IEC 62055-41 §6.3.4; STS 531-1-0-02 CTSA12/13.
    /// </summary>
    public static string IssuePowerLimitToken(DecoderKey key, EncryptionAlgorithm ea, BaseDate baseDate, ManagementSubclass subclass, uint tid, long watts, int rnd)
    {
        _ = TokenIdentifier.FromMinutes(tid, baseDate);
        return Issue(key, ea, TokenData.PowerLimit(subclass, rnd, tid, TransferAmount.FromUnitsExact(watts)));
    }

    /// <summary>The key change token set (2 or 4 tokens), encrypted with the meter's current key.</summary>
    public static string[] IssueKeyChangeTokens(DecoderKey currentKey, EncryptionAlgorithm ea, in KeyChangeRequest request)
    {
        var codec = new TokenCodec(TokenCiphers.Create(ea, currentKey));
        var sections = KeyChangeTokens.Build(request);
        var tokens = new string[sections.Length];
        for (int i = 0; i < sections.Length; i++)
        {
            tokens[i] = codec.Encode(sections[i]).ToString();
        }

        return tokens;
    }

    /// <summary>Any token data (class 1 tokens are not encrypted, the key is then unused).</summary>
    public static string Issue(DecoderKey key, EncryptionAlgorithm ea, in TokenData data) =>
        new TokenCodec(TokenCiphers.Create(ea, key)).Encode(data).ToString();
}
