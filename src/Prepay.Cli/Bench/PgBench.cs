using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Prepay.Cli.Bench;

/// <summary>
/// PostgreSQL's own TPC-B-like benchmark on a database of its own on the same server: <c>pgbench -i -s N</c>, then
/// <c>pgbench -c N -j 2 -T S -M prepared</c>. The figure the vend rate is held against. The scale is the number of
/// clients (at most 32), as pgbench's documentation asks: at scale 1 every transaction updates the one branch row and the clients
/// measure their queue on its lock, as the vends would on a few meters.
/// </summary>
public static partial class PgBench
{
    /// <param name="PostgresPercent">The PostgreSQL server's CPU during the timed run, in percent of one core (pgbench's own client not counted).</param>
    public sealed record Result(double Tps, int Clients, int Seconds, int Scale, double PostgresPercent = 0)
    {
        /// <summary>The database server's CPU per TPC-B transaction, in milliseconds (0 where /proc cannot be read).</summary>
        public double PostgresCpuMsPerTransaction => Tps > 0 ? PostgresPercent * 10 / Tps : 0;
    }

    public static async Task<Result> RunAsync(string pgbench, string host, int port, string user, string? password, string database,
        int clients, int seconds, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        string[] connection = ["-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-U", user];
        // Capped so that 256 clients do not build a 4 GB database: 32 branches already spread 256 clients thin.
        var scaleFactor = Math.Clamp(clients, 1, 32);
        var scale = scaleFactor.ToString(CultureInfo.InvariantCulture);
        await RunAsync(pgbench, [.. connection, "-i", "-s", scale, "-q", database], password, TimeSpan.FromMinutes(5), ct);
        log.WriteLine($"[pgbench] initialised scale {scale}; running {clients} clients, 2 threads, {seconds} s, prepared statements");
        var before = CpuUse.Take();
        var output = await RunAsync(pgbench, [.. connection, "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
            "-T", seconds.ToString(CultureInfo.InvariantCulture), "-M", "prepared", database], password, TimeSpan.FromSeconds(seconds + 120), ct);
        var cpu = CpuUse.Between(before, CpuUse.Take());
        return new Result(ParseTps(output), clients, seconds, scaleFactor, cpu.PostgresPercent);
    }

    /// <summary>The "tps = N (without initial connection time)" line; older versions print "excluding connections establishing".</summary>
    public static double ParseTps(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var matches = TpsLine().Matches(output);
        var line = matches.FirstOrDefault(m => m.Value.Contains("without", StringComparison.Ordinal) || m.Value.Contains("excluding", StringComparison.Ordinal))
            ?? matches.FirstOrDefault()
            ?? throw new InvalidOperationException($"pgbench printed no 'tps = ' line:\n{output}");
        return double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^tps = ([0-9]+(?:\.[0-9]+)?).*$", RegexOptions.Multiline)]
    private static partial Regex TpsLine();

    private static async Task<string> RunAsync(string file, string[] args, string? password, TimeSpan limit, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        if (password is not null)
        {
            start.Environment["PGPASSWORD"] = password;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout + "\n" + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output.Trim()}");
        }
        return output;
    }
}
