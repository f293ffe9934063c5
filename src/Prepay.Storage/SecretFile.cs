namespace Prepay.Storage;

/// <summary>
/// Secret files in the data directory (the MQTT credential secret, the demo's logins and keys): created with their
/// final permissions, owner read and write only, in the same call that creates them, so there is no moment when
/// another user of the machine can read them (a write followed by a chmod leaves one).
/// </summary>
public static class SecretFile
{
    /// <summary>Writes <paramref name="text"/> to a new or replaced file that only its owner can read.</summary>
    public static async Task WriteAsync(string path, string text, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), ct);
        }
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies when the file is created; a file that existed keeps its mode, so set it too.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Synchronous <see cref="WriteAsync"/>, for startup code that has no async path.</summary>
    public static void Write(string path, string text) => WriteAsync(path, text).GetAwaiter().GetResult();

    /// <summary>
    /// The secret kept in <paramref name="path"/> (trimmed); on first use a new one from <paramref name="create"/>
    /// is written there, owner-only, and returned. For the head-end's generated secrets (broker passwords, command keys).
    /// </summary>
    public static string ReadOrCreate(string path, Func<string> create)
    {
        if (!File.Exists(path))
        {
            Write(path, create());
        }
        return File.ReadAllText(path).Trim();
    }

    /// <summary>
    /// The secret given in configuration when there is one, else this node's own in <paramref name="path"/>: 32
    /// random bytes, hex, made on first start. A single node may rely on the file; several nodes must share the
    /// configured value (the cluster checks refuse to start without it).
    /// </summary>
    public static string ConfiguredOrRandom(string? configured, string path) =>
        !string.IsNullOrWhiteSpace(configured)
            ? configured
            : ReadOrCreate(path, () => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
}
