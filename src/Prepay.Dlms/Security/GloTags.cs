namespace Prepay.Dlms.Security;

/// <summary>
/// The glo- (global unicast key) tag of a plain xDLMS APDU (Green Book, xDLMS APDU tags): initiate request 0x01 →
/// 0x21, initiate response 0x08 → 0x28, GET/SET/event/ACTION requests and responses 0xC0-0xC7 → 0xC8-0xCF.
/// </summary>
public static class GloTags
{
    public static byte For(byte plainTag) => plainTag switch
    {
        0x01 => 0x21,
        0x08 => 0x28,
        >= 0xC0 and <= 0xC7 => (byte)(plainTag + 8),
        _ => throw new ArgumentException($"APDU 0x{plainTag:X2} has no glo- form.", nameof(plainTag)),
    };
}
