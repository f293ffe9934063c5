using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Prepay.Storage.Records.People;
using QRCoder;

namespace Prepay.Server.Web.Account;

/// <summary>
/// Authenticator apps (TOTP, RFC 6238: SHA-1, 6 digits, 30 s, as ASP.NET Core Identity's authenticator token
/// provider checks them): the shared key as people type it, the otpauth URI apps scan, and its QR code drawn here.
/// </summary>
public static class Authenticators
{
    public const string Issuer = "Prepay";
    public const int RecoveryCodeCount = 10;

    /// <summary>The key in groups of four, lower case, as enrolment pages usually show it (apps ignore spaces and case).</summary>
    public static string Readable(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }
        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    /// <summary>Key URI format (google-authenticator wiki): otpauth://totp/Issuer:account?secret=…&amp;issuer=…&amp;digits=6.</summary>
    public static string Uri(string userName, string key) => string.Create(CultureInfo.InvariantCulture,
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(userName)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6");

    /// <summary>The URI as a PNG QR code in a data: URL (the pages' CSP allows data: images, not inline styles an SVG would bring).</summary>
    public static string QrDataUrl(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>The person's key, made now if they have none yet (a new enrolment keeps the key it showed).</summary>
    public static async Task<string> KeyForEnrolmentAsync(UserManager<PersonAccount> users, PersonAccount person)
    {
        var key = await users.GetAuthenticatorKeyAsync(person);
        if (string.IsNullOrEmpty(key))
        {
            Check(await users.ResetAuthenticatorKeyAsync(person));
            key = await users.GetAuthenticatorKeyAsync(person);
        }
        return key ?? throw new InvalidOperationException("No authenticator key after making one.");
    }

    /// <summary>Enrols a person without asking for a code (the demo's people, whose key is printed beside their password).</summary>
    public static async Task<string> EnrolAsync(UserManager<PersonAccount> users, PersonAccount person)
    {
        var key = await KeyForEnrolmentAsync(users, person);
        Check(await users.SetTwoFactorEnabledAsync(person, true));
        return key;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
