using Microsoft.Extensions.Configuration;
using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Keys from configuration: a section such as <c>HeadEnd:Dlms:Keys</c> whose children are meter numbers (or
/// <c>Default</c>) holding <c>BlockCipherKey</c> and <c>AuthenticationKey</c> as 32 hex digits, or <c>Password</c>.
/// Values are read when asked and never echoed: a malformed value names the meter and the setting, not the value.
/// </summary>
public sealed class ConfigurationDlmsKeyProvider(IConfiguration section) : IDlmsKeyProvider
{
    public const string DefaultEntry = "Default";

    private readonly IConfiguration _section = section ?? throw new ArgumentNullException(nameof(section));

    public DlmsMeterKeys? KeysFor(MeterNumber meter)
    {
        var entry = _section.GetSection(meter.Value);
        if (!entry.GetChildren().Any())
        {
            entry = _section.GetSection(DefaultEntry);
        }
        string? blockCipherKey = entry["BlockCipherKey"];
        string? authenticationKey = entry["AuthenticationKey"];
        if (blockCipherKey is not null && authenticationKey is not null)
        {
            return DlmsMeterKeys.Gmac(Hex(meter, "BlockCipherKey", blockCipherKey), Hex(meter, "AuthenticationKey", authenticationKey));
        }
        return entry["Password"] is { } password ? DlmsMeterKeys.LowLevel(System.Text.Encoding.ASCII.GetBytes(password)) : null;
    }

    private static byte[] Hex(MeterNumber meter, string name, string value)
    {
        try
        {
            var bytes = Convert.FromHexString(value.Trim());
            return bytes.Length == 16 ? bytes : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The DLMS {name} configured for meter {meter} is not 32 hex digits.");
        }
    }
}
