namespace Prepay.Sts.Keys;

/// <summary>
/// Loads vending keys from a key-store file or an environment variable. The key-store file is text with
/// lines "name = hex"; blank lines and lines starting with '#' are skipped. Errors never contain key material.
/// </summary>
public static class VendingKeyLoader
{
    private const UnixFileMode OthersOrGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The key called <paramref name="name"/> in a key-store file.</summary>
    public static VendingKey FromKeyStoreFile(string path, string name)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(name);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersOrGroup) != 0)
        {
            // The vending key makes every token of its supply group: another user who can read it can sell credit.
            throw new UnauthorizedAccessException($"The key store {path} can be read or written by other users (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); make it readable by its owner only (chmod 600) and start again.");
        }
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && line[..eq].Trim() == name)
            {
                return VendingKey.TryParseHex(line[(eq + 1)..], out var key) is { } error
                    ? throw new FormatException($"Key '{name}' in {path}: {error}")
                    : key!;
            }
        }

        throw new KeyNotFoundException($"No vending key named '{name}' in {path}.");
    }

    /// <summary>The key in an environment variable (hex), read through <paramref name="getVariable"/> (default: the process environment).</summary>
    public static VendingKey FromEnvironment(string variable, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? hex = (getVariable ?? Environment.GetEnvironmentVariable)(variable);
        if (string.IsNullOrWhiteSpace(hex))
        {
            throw new KeyNotFoundException($"Environment variable {variable} is not set.");
        }

        return VendingKey.TryParseHex(hex, out var key) is { } error
            ? throw new FormatException($"Environment variable {variable}: {error}")
            : key!;
    }
}
