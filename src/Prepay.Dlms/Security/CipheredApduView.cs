using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Security;

/// <summary>
/// A service-specific ciphered APDU (glo- or ded-, see <see cref="CipheredApdu"/>) read where it lies: the tag, the
/// security header and the payload as a slice of the received bytes, so that a head-end can decipher an answer
/// straight from its frame (<see cref="SecuritySuite0.Unprotect(SecurityControl, uint, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>)
/// without copying the payload first. Accepts and refuses exactly what <see cref="Apdus.Apdu.Decode"/> does for
/// these tags.
/// </summary>
public readonly ref struct CipheredApduView
{
    private CipheredApduView(byte cipheredTag, SecurityControl control, uint invocationCounter, ReadOnlySpan<byte> payload)
    {
        CipheredTag = cipheredTag;
        Control = control;
        InvocationCounter = invocationCounter;
        Payload = payload;
    }

    public byte CipheredTag { get; }

    public SecurityControl Control { get; }

    public uint InvocationCounter { get; }

    /// <summary>The ciphertext (or plain APDU) followed by the tag when authenticated.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>True when <paramref name="tag"/> is the first byte of a glo- or ded- APDU.</summary>
    public static bool IsCipheredTag(byte tag) => tag switch
    {
        0x21 or 0x28 or (>= 0xC8 and <= 0xCD) or 0xCF or (>= 0xD0 and <= 0xD5) or 0xD7 => true,
        _ => false,
    };

    /// <summary>Reads one ciphered APDU filling <paramref name="apdu"/>; throws <see cref="DlmsFormatException"/> otherwise.</summary>
    public static CipheredApduView Read(ReadOnlySpan<byte> apdu)
    {
        var outer = new DlmsReader(apdu);
        byte tag = outer.ReadByte();
        if (!IsCipheredTag(tag))
        {
            throw new DlmsFormatException($"APDU tag 0x{tag:X2} is not a ciphered service.");
        }
        var reader = new DlmsReader(outer.ReadBytes(outer.ReadLength()));
        var control = new SecurityControl(reader.ReadByte());
        uint counter = reader.ReadUInt32();
        var payload = reader.ReadBytes(reader.Remaining);
        outer.ExpectEnd($"APDU 0x{tag:X2}");
        return new CipheredApduView(tag, control, counter, payload);
    }
}
