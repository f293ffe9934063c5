namespace Prepay.Dlms.Security;

/// <summary>
/// Replaces a small file so that a crash at any instant leaves either the old content or the new one, never a torn
/// mix: the new text goes to a temporary file, is flushed to the disk, then renamed over the old one (a rename
/// within a directory is atomic on POSIX file systems and on NTFS).
/// </summary>
internal static class DurableFile
{
    public static void Replace(string path, string text)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
