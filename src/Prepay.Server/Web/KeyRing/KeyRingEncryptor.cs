using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Prepay.Server.Web.KeyRing;

/// <summary>
/// Encrypts each data-protection key's XML before it is stored, with AES-256-GCM (NIST SP 800-38D: a fresh 96-bit
/// nonce per key, a 128-bit tag) under <see cref="KeyRingSecret"/>, so that a copy of the database alone signs nobody
/// in. The framework stores the element this returns and names <see cref="KeyRingDecryptor"/> beside it.
/// </summary>
public sealed class KeyRingEncryptor(KeyRingSecret secret) : IXmlEncryptor
{
    internal static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes("prepay-data-protection-key");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(secret.EncryptionKey, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag, AssociatedData);
        }
        CryptographicOperations.ZeroMemory(plain);
        var element = new XElement("prepayEncryptedKey",
            new XAttribute("version", 1),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(cipher)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>
/// Reads what <see cref="KeyRingEncryptor"/> stored. The framework makes it by type name with the service provider,
/// and a key that was encrypted under another secret fails its tag check (the node is configured with the wrong
/// <c>DataProtection:KeySecret</c>): the framework then treats that key as unusable rather than signing anyone in with it.
/// </summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var secret = services.GetRequiredService<KeyRingSecret>();
        var nonce = Convert.FromBase64String((string?)encryptedElement.Element("nonce") ?? throw Malformed("nonce"));
        var tag = Convert.FromBase64String((string?)encryptedElement.Element("tag") ?? throw Malformed("tag"));
        var cipher = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? throw Malformed("value"));
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(secret.EncryptionKey, tag.Length))
        {
            aes.Decrypt(nonce, cipher, tag, plain, KeyRingEncryptor.AssociatedData);
        }
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plain));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static CryptographicException Malformed(string part) => new($"A stored data-protection key has no {part}.");
}
