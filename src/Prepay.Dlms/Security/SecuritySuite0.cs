using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Prepay.Dlms.Security;

/// <summary>
/// Security suite 0 (Green Book, "Cryptographic algorithms"): AES-GCM-128 with a 12-byte authentication tag.
/// The initialization vector is the sender's system title (8 bytes) followed by the invocation counter
/// (Unsigned32, big-endian). The additional authenticated data is the security control byte and the
/// authentication key, followed by the plain APDU when only authenticated (GMAC) or by the challenge in the
/// HLS mechanism 5 exchange. Keys are held privately and never printed. One instance may be shared by threads.
/// </summary>
public sealed class SecuritySuite0 : IDisposable
{
    public const int KeySize = 16;
    public const int TagSize = 12;
    public const int SystemTitleSize = 8;

    private readonly Lock _lock = new();
    private readonly AesGcm _aes;
    private readonly byte[] _authenticationKey;

    public SecuritySuite0(ReadOnlySpan<byte> blockCipherKey, ReadOnlySpan<byte> authenticationKey)
    {
        if (blockCipherKey.Length != KeySize || authenticationKey.Length != KeySize)
        {
            throw new ArgumentException($"Suite 0 keys have {KeySize} bytes.");
        }
        _aes = new AesGcm(blockCipherKey, TagSize);
        _authenticationKey = authenticationKey.ToArray();
    }

    /// <summary>
    /// Protects <paramref name="apdu"/> as <paramref name="control"/> asks: the payload is the ciphertext (or the
    /// plain APDU when not encrypted) followed by the tag when authenticated.
    /// </summary>
    public CipheredApdu Protect(byte cipheredTag, SecurityControl control, ReadOnlySpan<byte> systemTitle, uint invocationCounter, ReadOnlySpan<byte> apdu)
    {
        CheckSuite(control);
        Span<byte> nonce = stackalloc byte[12];
        Nonce(systemTitle, invocationCounter, nonce);
        var payload = new byte[apdu.Length + (control.Authenticated ? TagSize : 0)];
        Span<byte> tag = stackalloc byte[TagSize];
        Span<byte> scratch = stackalloc byte[SmallAdditionalData];
        if (control.Encrypted)
        {
            Encrypt(nonce, apdu, payload.AsSpan(0, apdu.Length), tag, AdditionalData(control, ReadOnlySpan<byte>.Empty, scratch));
        }
        else
        {
            apdu.CopyTo(payload);
            Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, AdditionalData(control, apdu, scratch));
        }
        if (control.Authenticated)
        {
            tag.CopyTo(payload.AsSpan(apdu.Length));
        }
        return new CipheredApdu(cipheredTag, control, invocationCounter, Octets.Own(payload));
    }

    /// <summary>
    /// The same as <see cref="Protect"/> followed by <see cref="Apdus.Apdu.Encode"/>, written straight into the one
    /// array that goes on the wire (tag, A-XDR length, security header, ciphertext, tag): the hot path of every
    /// ciphered answer, without the intermediate payload array and its copy.
    /// </summary>
    public byte[] ProtectEncoded(byte cipheredTag, SecurityControl control, ReadOnlySpan<byte> systemTitle, uint invocationCounter, ReadOnlySpan<byte> apdu)
    {
        CheckSuite(control);
        int content = 5 + apdu.Length + (control.Authenticated ? TagSize : 0);
        int lengthSize = content < 0x80 ? 1 : content <= 0xFF ? 2 : content <= 0xFFFF ? 3 : 5;
        var wire = new byte[1 + lengthSize + content];
        wire[0] = cipheredTag;
        var header = wire.AsSpan(1);
        switch (lengthSize)
        {
            case 1: header[0] = (byte)content; break;
            case 2: header[0] = 0x81; header[1] = (byte)content; break;
            case 3: header[0] = 0x82; BinaryPrimitives.WriteUInt16BigEndian(header[1..], (ushort)content); break;
            default: header[0] = 0x84; BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)content); break;
        }
        int at = 1 + lengthSize;
        wire[at] = control.Value;
        BinaryPrimitives.WriteUInt32BigEndian(wire.AsSpan(at + 1), invocationCounter);
        var body = wire.AsSpan(at + 5, apdu.Length);
        var tag = control.Authenticated ? wire.AsSpan(at + 5 + apdu.Length, TagSize) : stackalloc byte[TagSize];
        Span<byte> nonce = stackalloc byte[12];
        Nonce(systemTitle, invocationCounter, nonce);
        Span<byte> scratch = stackalloc byte[SmallAdditionalData];
        if (control.Encrypted)
        {
            Encrypt(nonce, apdu, body, tag, AdditionalData(control, ReadOnlySpan<byte>.Empty, scratch));
        }
        else
        {
            apdu.CopyTo(body);
            Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, AdditionalData(control, apdu, scratch));
        }
        return wire;
    }

    /// <summary>
    /// <paramref name="apdu"/> encoded, protected and encoded as its glo-APDU (<see cref="GloTags"/>), the same bytes as
    /// <c>ProtectEncoded(GloTags.For(..), control, systemTitle, invocationCounter, apdu.Encode())</c>: the plain APDU
    /// is written into the thread's reused buffer and enciphered from there into the wire array, so the plain bytes
    /// are never allocated.
    /// </summary>
    public byte[] ProtectEncoded(SecurityControl control, ReadOnlySpan<byte> systemTitle, uint invocationCounter, Apdus.Apdu apdu)
    {
        ArgumentNullException.ThrowIfNull(apdu);
        var writer = Axdr.DlmsWriter.Rent();
        try
        {
            apdu.WriteTo(writer);
            var plain = writer.WrittenSpan;
            return ProtectEncoded(GloTags.For(plain[0]), control, systemTitle, invocationCounter, plain);
        }
        finally
        {
            Axdr.DlmsWriter.Return(writer);
        }
    }

    /// <summary>
    /// The plain APDU inside <paramref name="ciphered"/>, sent by <paramref name="systemTitle"/>. A tag that does not
    /// match throws <see cref="DlmsAuthenticationException"/>. Checking the invocation counter against replays is
    /// the caller's: it knows the last one accepted.
    /// </summary>
    public byte[] Unprotect(CipheredApdu ciphered, ReadOnlySpan<byte> systemTitle)
    {
        ArgumentNullException.ThrowIfNull(ciphered);
        CheckSuite(ciphered.Control);
        var payload = ciphered.Payload.Span;
        var plain = new byte[PlainLength(ciphered.Control, payload.Length)];
        Unprotect(ciphered.Control, ciphered.InvocationCounter, payload, systemTitle, plain);
        return plain;
    }

    /// <summary>
    /// The same as <see cref="Unprotect(CipheredApdu, ReadOnlySpan{byte})"/> on a payload still in the received bytes
    /// (see <see cref="CipheredApduView"/>), deciphered into <paramref name="destination"/>, which must not overlap
    /// the payload; returns the length of the plain APDU. On a tag mismatch the destination is cleared.
    /// </summary>
    public int Unprotect(SecurityControl control, uint invocationCounter, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> systemTitle, Span<byte> destination)
    {
        CheckSuite(control);
        int length = PlainLength(control, payload.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The plain APDU needs {length} bytes, the destination has {destination.Length}.", nameof(destination));
        }
        var body = payload[..length];
        var tag = payload[length..];
        var plain = destination[..length];
        Span<byte> nonce = stackalloc byte[12];
        Nonce(systemTitle, invocationCounter, nonce);
        Span<byte> scratch = stackalloc byte[SmallAdditionalData];
        try
        {
            if (control.Encrypted && control.Authenticated)
            {
                Decrypt(nonce, body, tag, plain, AdditionalData(control, ReadOnlySpan<byte>.Empty, scratch));
            }
            else if (control.Encrypted)
            {
                // Encryption only: GCM's counter mode is its own inverse; the tag is neither sent nor checked.
                Encrypt(nonce, body, plain, scratch[..TagSize]);
            }
            else
            {
                body.CopyTo(plain);
                if (control.Authenticated)
                {
                    Decrypt(nonce, ReadOnlySpan<byte>.Empty, tag, Span<byte>.Empty, AdditionalData(control, body, scratch));
                }
            }
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(plain);
            throw new DlmsAuthenticationException("The authentication tag of a ciphered APDU does not match.", e);
        }
        return length;
    }

    private static int PlainLength(SecurityControl control, int payloadLength)
    {
        int tagLength = control.Authenticated ? TagSize : 0;
        if (payloadLength < tagLength)
        {
            throw new DlmsFormatException($"A ciphered APDU with authentication ends with a {TagSize}-byte tag.");
        }
        return payloadLength - tagLength;
    }

    /// <summary>
    /// The HLS mechanism 5 (GMAC) answer to a challenge (Green Book, HLS pass 3 and 4): security control 0x10,
    /// the responder's invocation counter, and the 12-byte GMAC over SC || AK || challenge with the responder's
    /// system title in the IV. Sent as SC || IC || tag.
    /// </summary>
    public byte[] ChallengeResponse(ReadOnlySpan<byte> systemTitle, uint invocationCounter, ReadOnlySpan<byte> challenge)
    {
        var control = SecurityControl.AuthenticationOnly;
        Span<byte> nonce = stackalloc byte[12];
        Nonce(systemTitle, invocationCounter, nonce);
        var answer = new byte[5 + TagSize];
        answer[0] = control.Value;
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(1), invocationCounter);
        Span<byte> scratch = stackalloc byte[SmallAdditionalData];
        Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, answer.AsSpan(5), AdditionalData(control, challenge, scratch));
        return answer;
    }

    // AesGcm is not safe for concurrent use.
    private void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plain, Span<byte> cipher, Span<byte> tag, ReadOnlySpan<byte> associated = default)
    {
        lock (_lock)
        {
            _aes.Encrypt(nonce, plain, cipher, tag, associated);
        }
    }

    private void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> cipher, ReadOnlySpan<byte> tag, Span<byte> plain, ReadOnlySpan<byte> associated)
    {
        lock (_lock)
        {
            _aes.Decrypt(nonce, cipher, tag, plain, associated);
        }
    }

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_authenticationKey);
    }

    public override string ToString() => "SecuritySuite0 (keys hidden)";

    // Room on the stack for SC || AK and a short tail (a challenge); a longer tail (a plain APDU that is only
    // authenticated) gets an array.
    private const int SmallAdditionalData = 96;

    private ReadOnlySpan<byte> AdditionalData(SecurityControl control, ReadOnlySpan<byte> tail, Span<byte> scratch)
    {
        if (!control.Authenticated)
        {
            return ReadOnlySpan<byte>.Empty;
        }
        int length = 1 + KeySize + tail.Length;
        var data = length <= scratch.Length ? scratch[..length] : new byte[length];
        data[0] = control.Value;
        _authenticationKey.CopyTo(data[1..]);
        tail.CopyTo(data[(1 + KeySize)..]);
        return data;
    }

    private static void Nonce(ReadOnlySpan<byte> systemTitle, uint invocationCounter, Span<byte> nonce)
    {
        if (systemTitle.Length != SystemTitleSize)
        {
            throw new ArgumentException($"A system title has {SystemTitleSize} bytes, not {systemTitle.Length}.", nameof(systemTitle));
        }
        systemTitle.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[SystemTitleSize..], invocationCounter);
    }

    private static void CheckSuite(SecurityControl control)
    {
        if (control.SuiteId != 0 || control.Compressed)
        {
            throw new DlmsFormatException($"Security control {control} asks for another suite or compression; this is suite 0.");
        }
    }
}
