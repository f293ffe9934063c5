using System.Diagnostics;

namespace Prepay.Testing;

/// <summary>What a server a test started needs at its end: the process killed and waited for, its directory removed.</summary>
internal static class ChildProcess
{
    public static async ValueTask StopAsync(Process? process, string directory)
    {
        if (process is { } p)
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
            await p.WaitForExitAsync();
            p.Dispose();
        }
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // The server may still be letting go of its files; a temporary directory left behind is harmless.
        }
    }
}
