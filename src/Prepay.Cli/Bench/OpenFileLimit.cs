using System.Runtime.InteropServices;

namespace Prepay.Cli.Bench;

/// <summary>
/// The open-file limit (RLIMIT_NOFILE) a process needs for thousands of sockets. Each socket is a file descriptor;
/// children started afterwards inherit the limit. Linux only; elsewhere nothing is checked.
/// </summary>
public static class OpenFileLimit
{
    private const int RlimitNofile = 7; // Linux, <sys/resource.h>

    /// <summary>File descriptors a process needs beside its sockets: the runtime, the database, logs, pipes.</summary>
    public const int Headroom = 1024;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRlimit(int resource, out Rlimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRlimit(int resource, ref Rlimit limit);

    /// <summary>The soft and hard limits now, or null when they cannot be read.</summary>
    public static (long Soft, long Hard)? Read()
    {
        if (!OperatingSystem.IsLinux() || GetRlimit(RlimitNofile, out var l) != 0)
        {
            return null;
        }
        return (Clamp(l.Current), Clamp(l.Maximum));
    }

    /// <summary>
    /// Raises the soft limit to the hard limit when it is below <paramref name="needed"/> (an unprivileged process may
    /// go up to the hard limit, not past it), then says in one line what is missing, or null when there is enough.
    /// </summary>
    public static string? Ensure(long needed, string what)
    {
        if (Read() is not { } now)
        {
            return null;
        }
        if (now.Soft < needed && now.Hard > now.Soft)
        {
            var raised = new Rlimit { Current = (ulong)now.Hard, Maximum = (ulong)now.Hard };
            _ = SetRlimit(RlimitNofile, ref raised);
            now = Read() ?? now;
        }
        return Problem(needed, now.Soft, now.Hard, what);
    }

    /// <summary>One line when <paramref name="soft"/> is below <paramref name="needed"/>, else null.</summary>
    public static string? Problem(long needed, long soft, long hard, string what) =>
        soft >= needed ? null
        : $"{what} needs about {needed} open files per process, but the limit here is {soft} (ulimit -n; hard limit {hard}): raise it or ask for fewer";

    private static long Clamp(ulong v) => v > long.MaxValue ? long.MaxValue : (long)v;
}
