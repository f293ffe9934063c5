namespace Prepay.Sts.Tokens;

/// <summary>
/// Builds and reads key change token data. IEC 62055-41 §6.3.4; layouts (block bits) confirmed by
/// STS 531-1-0-02 CTSA05 (64-bit, EA07) and STS 531-1-0-04 CTSA05 (128-bit, EA11):
/// 1st section (subclass 3): KENHO 59..56, KRN 55..52, RO 51, reserved 50, KT 49..48, key bits 63..32 (64-bit
/// key) or 127..96 (128-bit key) at 47..16.
/// 2nd section (subclass 4): KENLO 59..56, TI 55..48 (binary), key bits 31..0 at 47..16.
/// 3rd section (subclass 8): SGC bits 11..0 at 59..48, key bits 95..64 at 47..16.
/// 4th section (subclass 9): SGC bits 23..12 at 59..48, key bits 63..32 at 47..16.
/// The tokens are encrypted with the meter's current decoder key.
/// </summary>
public static class KeyChangeTokens
{
    /// <summary>The 2 (64-bit key) or 4 (128-bit key) token data, in section order.</summary>
    public static TokenData[] Build(in KeyChangeRequest request)
    {
        Validate(request);
        var key = request.NewKey;
        bool wide = key.Bits == 128;
        uint highWord = (uint)((wide ? key.High : key.Low) >> 32);
        uint lowWord = unchecked((uint)key.Low);
        ulong first = ((ulong)(request.KeyExpiryNumber >> 4) << 40) | ((ulong)request.KeyRevisionNumber << 36)
            | ((request.Rollover ? 1UL : 0UL) << 35) | ((ulong)request.KeyType << 32) | highWord;
        ulong second = ((ulong)(request.KeyExpiryNumber & 0xF) << 40) | ((ulong)request.TariffIndex << 32) | lowWord;
        var section1 = TokenData.Create(TokenClass.MeterSpecificManagement, (int)ManagementSubclass.SetDecoderKey1, first);
        var section2 = TokenData.Create(TokenClass.MeterSpecificManagement, (int)ManagementSubclass.SetDecoderKey2, second);
        if (!wide)
        {
            return [section1, section2];
        }

        ulong sgc = (ulong)request.SupplyGroupCode;
        ulong third = ((sgc & 0xFFF) << 32) | unchecked((uint)key.High);
        ulong fourth = ((sgc >> 12) << 32) | (uint)(key.Low >> 32);
        return
        [
            section1,
            section2,
            TokenData.Create(TokenClass.MeterSpecificManagement, (int)ManagementSubclass.SetDecoderKey3, third),
            TokenData.Create(TokenClass.MeterSpecificManagement, (int)ManagementSubclass.SetDecoderKey4, fourth),
        ];
    }

    /// <summary>Whether the token data is a key change section (class 2, subclass 3, 4, 8 or 9).</summary>
    public static bool IsKeyChangeSection(in TokenData data) =>
        data.Class == TokenClass.MeterSpecificManagement && data.Subclass is 3 or 4 or 8 or 9;

    private static void Validate(in KeyChangeRequest request)
    {
        if (request.NewKey.Bits is not (64 or 128))
        {
            throw new ArgumentException("The new key must be set.", nameof(request));
        }

        if (request.KeyRevisionNumber is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.KeyRevisionNumber, "KRN has 4 bits.");
        }

        if (request.KeyType is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.KeyType, "KT has 2 bits.");
        }

        if (request.TariffIndex is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.TariffIndex, "TI has 8 bits.");
        }

        if (request.SupplyGroupCode is < 0 or > 0xFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.SupplyGroupCode, "SGC has 24 bits.");
        }
    }
}
