using System.Diagnostics;
using System.Globalization;

namespace Prepay.Cli.Bench;

/// <summary>
/// Where the machine's CPU went during a stretch of load: this process (the server and its clients, which share it)
/// and the PostgreSQL server's processes, read from <c>/proc</c> on Linux (zero elsewhere). In percent of one core.
/// </summary>
public sealed record CpuUse(double PrepayPercent, double PostgresPercent, int Cores, long AllocatedBytes = 0, int Gen0Collections = 0, int Gen2Collections = 0)
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Sample(long WallTicks, TimeSpan Own, IReadOnlyDictionary<int, long> Postgres, long Allocated = 0, int Gen0 = 0, int Gen2 = 0);

    public static Sample Take()
    {
        using var self = Process.GetCurrentProcess();
        // Allocation and collections count too: on a shared machine they are steadier than time, and what a vend
        // allocates is what the collector spends the CPU on.
        return new Sample(Stopwatch.GetTimestamp(), self.TotalProcessorTime, PostgresTicks(),
            GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(2));
    }

    public static CpuUse Between(Sample before, Sample after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var wall = (after.WallTicks - before.WallTicks) / (double)Stopwatch.Frequency;
        if (wall <= 0)
        {
            return new CpuUse(0, 0, Environment.ProcessorCount);
        }
        // A backend started during the stretch counts from zero; one that ended during it is counted in the postmaster's children.
        var pg = after.Postgres.Sum(p => p.Value - before.Postgres.GetValueOrDefault(p.Key)) / ClockTicksPerSecond;
        return new CpuUse(100 * (after.Own - before.Own).TotalSeconds / wall, 100 * pg / wall, Environment.ProcessorCount,
            after.Allocated - before.Allocated, after.Gen0 - before.Gen0, after.Gen2 - before.Gen2);
    }

    private static Dictionary<int, long> PostgresTicks()
    {
        var ticks = new Dictionary<int, long>();
        if (!OperatingSystem.IsLinux())
        {
            return ticks;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
                {
                    continue;
                }
                // proc(5): after the command come state (3), ..., utime (14), stime (15), cutime (16) and cstime (17).
                // The children's times are the postmaster's: a backend that ended (pgbench's, when it disconnects
                // before the stretch is read) is no longer listed, but its CPU is in the postmaster's cutime/cstime.
                var fields = stat[(close + 2)..].Split(' ');
                ticks[pid] = fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }
        return ticks;
    }
}
