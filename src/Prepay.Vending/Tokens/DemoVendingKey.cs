using System.Security.Cryptography;

namespace Prepay.Vending.Tokens;

/// <summary>
/// A TEST vending key for <c>prepay demo</c>: 64 random bits (DKGA-02) in a key-store file of the demo's data
/// directory, readable by its owner only, made once and reused. Only for demo meters; never for a real supply group.
/// </summary>
public static class DemoVendingKey
{
    public const string FileName = "demo-vending-key.txt";
    public const string KeyName = "demo-test";

    /// <summary>Whether the environment already names a vending key, which then wins over the demo key.</summary>
    public static bool ConfiguredInEnvironment() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PREPAY_Sts__VendingKeyHex"))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PREPAY_Sts__KeyStoreFile"));

    /// <summary>The key-store file in <paramref name="dataDirectory"/>, created with a new random key if missing.</summary>
    public static string EnsureKeyStoreFile(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return path;
        }
        var key = new byte[8];
        do
        {
            RandomNumberGenerator.Fill(key);
        }
        while (DES.IsWeakKey(key) || DES.IsSemiWeakKey(key)); // .NET refuses these as DES keys
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.WriteLine("# TEST vending key made by `prepay demo` for its demo meters only. Not a real supply group's key.");
            writer.WriteLine($"{KeyName} = {Convert.ToHexStringLower(key)}");
        }
        CryptographicOperations.ZeroMemory(key);
        return path;
    }
}
