using Prepay.Dlms.Security;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// A meter's secrets: the global unicast (block cipher) key and the authentication key of security suite 0, and
/// the low-level password. Held privately; <see cref="ToString"/> shows none of them, so a log line or an exception
/// message that prints the keys object prints nothing secret.
/// </summary>
public sealed class DlmsMeterKeys
{
    private readonly byte[]? _blockCipherKey;
    private readonly byte[]? _authenticationKey;
    private readonly byte[]? _password;

    private DlmsMeterKeys(byte[]? blockCipherKey, byte[]? authenticationKey, byte[]? password)
    {
        _blockCipherKey = blockCipherKey;
        _authenticationKey = authenticationKey;
        _password = password;
    }

    /// <summary>Suite 0 keys (16 bytes each) for HLS-GMAC.</summary>
    public static DlmsMeterKeys Gmac(ReadOnlySpan<byte> blockCipherKey, ReadOnlySpan<byte> authenticationKey)
    {
        if (blockCipherKey.Length != SecuritySuite0.KeySize || authenticationKey.Length != SecuritySuite0.KeySize)
        {
            throw new ArgumentException($"Suite 0 keys have {SecuritySuite0.KeySize} bytes.");
        }
        return new DlmsMeterKeys(blockCipherKey.ToArray(), authenticationKey.ToArray(), null);
    }

    /// <summary>A low-level password (Green Book: LLS, mechanism 1).</summary>
    public static DlmsMeterKeys LowLevel(ReadOnlySpan<byte> password) => new(null, null, password.ToArray());

    public bool HasGmacKeys => _blockCipherKey is not null;

    public bool HasPassword => _password is not null;

    /// <summary>A new suite 0 instance (one AES key schedule) for one session; the caller disposes it.</summary>
    internal SecuritySuite0 CreateSuite() => _blockCipherKey is not null && _authenticationKey is not null
        ? new SecuritySuite0(_blockCipherKey, _authenticationKey)
        : throw new InvalidOperationException("These keys hold no suite 0 keys.");

    internal byte[] Password() => (byte[])(_password ?? throw new InvalidOperationException("These keys hold no password.")).Clone();

    public override string ToString() => "DlmsMeterKeys (hidden)";
}
