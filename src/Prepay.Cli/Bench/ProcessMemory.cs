using System.Globalization;

namespace Prepay.Cli.Bench;

/// <summary>Resident memory of a process, from <c>/proc/PID/status</c> on Linux (null elsewhere or when it is gone).</summary>
public static class ProcessMemory
{
    public static long? ResidentBytes(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return ParseKilobytes(line["VmRSS:".Length..]) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    public static long? OwnResidentBytes() => ResidentBytes(Environment.ProcessId);

    /// <summary>The number in a <c>/proc</c> line such as <c>"   123456 kB"</c>.</summary>
    public static long ParseKilobytes(string value) =>
        long.Parse(value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture);
}
