using Prepay.Sts.Algorithms;

namespace Prepay.Sts.Tokens;

/// <summary>
/// Turns token data into 20 digits and back with one cipher (one decoder key). Class 1 tokens are not
/// encrypted (IEC 62055-41 §6.3.3); every other class is. The span overloads allocate nothing.
/// </summary>
public sealed class TokenCodec
{
    private readonly ITokenCipher _cipher;

    /// <summary>A codec over a cipher bound to a decoder key.</summary>
    public TokenCodec(ITokenCipher cipher) => _cipher = cipher ?? throw new ArgumentNullException(nameof(cipher));

    /// <summary>The algorithm in use.</summary>
    public EncryptionAlgorithm Algorithm => _cipher.Algorithm;

    /// <summary>The 66-bit token of some data.</summary>
    public TokenNumber Encode(in TokenData data)
    {
        ulong block = DataBlock.From(data);
        if (data.Class != TokenClass.NonMeterSpecificEngineering)
        {
            block = _cipher.Encrypt(block);
        }

        return TokenNumber.FromBlock(block, data.Class);
    }

    /// <summary>Writes the 20 digits of some data into <paramref name="destination"/>; no allocation.</summary>
    public void Encode(in TokenData data, Span<char> destination) => Encode(data).Format(destination);

    /// <summary>Decrypts a token; <paramref name="crcOk"/> is false for a wrong key or a mistyped token.</summary>
    public TokenData Decode(TokenNumber token, out bool crcOk)
    {
        var tokenClass = token.Class;
        ulong block = token.ToBlock();
        if (tokenClass != TokenClass.NonMeterSpecificEngineering)
        {
            block = _cipher.Decrypt(block);
        }

        return DataBlock.Read(block, tokenClass, out crcOk);
    }
}
