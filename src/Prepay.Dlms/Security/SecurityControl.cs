namespace Prepay.Dlms.Security;

/// <summary>
/// The security control byte of a ciphered APDU (Green Book, "Security header"): bits 0-3 the security suite id,
/// bit 4 authentication (A), bit 5 encryption (E), bit 6 the key set (0 unicast, 1 broadcast), bit 7 compression.
/// </summary>
public readonly record struct SecurityControl(byte Value)
{
    private const byte AuthenticationBit = 0x10;
    private const byte EncryptionBit = 0x20;
    private const byte BroadcastBit = 0x40;
    private const byte CompressionBit = 0x80;

    public static SecurityControl AuthenticationOnly => new(AuthenticationBit);

    public static SecurityControl EncryptionOnly => new(EncryptionBit);

    public static SecurityControl AuthenticatedEncryption => new(AuthenticationBit | EncryptionBit);

    public int SuiteId => Value & 0x0F;

    public bool Authenticated => (Value & AuthenticationBit) != 0;

    public bool Encrypted => (Value & EncryptionBit) != 0;

    public bool BroadcastKey => (Value & BroadcastBit) != 0;

    public bool Compressed => (Value & CompressionBit) != 0;

    public override string ToString() => $"0x{Value:X2}";
}
