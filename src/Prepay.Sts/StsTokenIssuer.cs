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

    /// <summary>A class 2 management token with RND, TID and a 16-bit value (power limit, register mask, rate...).</summary>
    public static string IssueManagementToken(DecoderKey key, EncryptionAlgorithm ea, BaseDate baseDate, ManagementSubclass subclass, uint tid, ushort value, int rnd)
    {
        _ = TokenIdentifier.FromMinutes(tid, baseDate);
        return Issue(key, ea, TokenData.Management(subclass, rnd, tid, value));
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
