using Prepay.Sts.Keys;

namespace Prepay.Vending.Tokens;

/// <summary>
/// Where the STS vending key comes from, bound from the <c>Sts</c> configuration section. The key is a secret:
/// give it as <c>Sts:VendingKeyHex</c> (environment <c>PREPAY_Sts__VendingKeyHex</c>) or as a key-store file
/// (<c>Sts:KeyStoreFile</c>, lines <c>name = hex</c>, and <c>Sts:KeyName</c>), never in appsettings.json. Nothing
/// here is ever logged but the file path and the key name. With neither set, vending falls back to placeholder tokens
/// that no meter accepts, and says so at startup.
/// </summary>
public sealed class StsOptions
{
    public const string Section = "Sts";

    /// <summary>The vending key as hex: 16 digits (64 bits, DKGA-02) or 40 digits (160 bits, DKGA-04).</summary>
    public string? VendingKeyHex { get; set; }

    /// <summary>A key-store file holding the vending key under <see cref="KeyName"/>.</summary>
    public string? KeyStoreFile { get; set; }

    /// <summary>The key's name in <see cref="KeyStoreFile"/>. Default <c>vending</c>.</summary>
    public string KeyName { get; set; } = "vending";

    /// <summary>
    /// An override of the issuer identification number in the meters' PAN: 4 or 6 digits. Unset (the default), each
    /// meter's IIN follows from its decoder reference number, as IEC 62055-41 (MeterPAN) gives it: 600727 for an
    /// 11-digit number, 0000 for a 13-digit one, so the PAN has its 18 digits. Set, it must still make an 18-digit
    /// PAN with each meter's number; a meter it cannot is refused a token, with the reason.
    /// </summary>
    public string? Iin { get; set; }

    /// <summary>KEN written into new keys by key change tokens, 0..255. Default 255: the key never expires.</summary>
    public int KeyExpiryNumber { get; set; } = 255;

    /// <summary>
    /// Move every meter still on base date 1993 to 2014 at its next vend or token, not only those whose token
    /// identifiers no longer fit 24 bits (which since 2024-12 is every one of them anyway). Default false.
    /// </summary>
    public bool RollOverBaseDate1993 { get; set; }

    /// <summary>Whether a vending key is configured at all.</summary>
    public bool HasVendingKey => !string.IsNullOrWhiteSpace(VendingKeyHex) || !string.IsNullOrWhiteSpace(KeyStoreFile);

    /// <summary>The first problem with these options, or null. Never mentions key material.</summary>
    public string? Validate() =>
        !string.IsNullOrWhiteSpace(VendingKeyHex) && !string.IsNullOrWhiteSpace(KeyStoreFile) ? "Sts: set either VendingKeyHex or KeyStoreFile, not both"
        : string.IsNullOrWhiteSpace(KeyName) ? "Sts:KeyName must not be empty"
        : Iin is not null && (Iin is not { Length: 4 or 6 } || !Iin.All(char.IsAsciiDigit)) ? "Sts:Iin must have 4 or 6 digits (or be left unset: it then follows from each meter's number)"
        : KeyExpiryNumber is < 0 or > 255 ? "Sts:KeyExpiryNumber must be 0 to 255"
        : null;

    /// <summary>Loads the configured vending key, or null when none is configured. Errors name the source, never the key.</summary>
    public VendingKey? LoadVendingKey()
    {
        if (!string.IsNullOrWhiteSpace(VendingKeyHex))
        {
            return VendingKey.TryParseHex(VendingKeyHex, out var key) is { } error
                ? throw new InvalidOperationException($"Sts:VendingKeyHex: {error}")
                : key;
        }
        if (!string.IsNullOrWhiteSpace(KeyStoreFile))
        {
            return VendingKeyLoader.FromKeyStoreFile(KeyStoreFile, KeyName);
        }
        return null;
    }

    /// <summary>Where the key comes from, for the startup log.</summary>
    public string Source => !string.IsNullOrWhiteSpace(VendingKeyHex) ? "Sts:VendingKeyHex" : $"key '{KeyName}' in {KeyStoreFile}";
}
