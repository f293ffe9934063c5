using System.Diagnostics;

namespace Prepay.Cli.Tests.Bench;

/// <summary>The new benches' bad arguments, through the built <c>prepay</c> executable: one line on stderr, exit code 2, nothing run.</summary>
public class BenchArgumentsTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "prepay.dll");

    private static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task<(int Exit, string Out, string Err)> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = AppContext.BaseDirectory;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static Task<(int Exit, string Out, string Err)> PrepayAsync(params string[] args)
    {
        Assert.True(File.Exists(Dll), $"{Dll} is not next to the test assembly");
        var start = new ProcessStartInfo(Host);
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        return RunAsync(start);
    }

    [Theory]
    [InlineData("connections", "--meters", "0")]
    [InlineData("connections", "--meters", "30000")]
    [InlineData("connections", "--hold", "soon")]
    [InlineData("connections", "--hold", "11m")]
    [InlineData("connections", "--heartbeat", "0s")]
    [InlineData("import", "--rows", "0")]
    [InlineData("import", "--rows", "100001")]
    [InlineData("vend", "--meters", "0")]
    [InlineData("vend", "--meters", "5001")]
    [InlineData("vend", "--clients", "0")]
    [InlineData("topup", "--meters", "10")]
    [InlineData("topup", "--topups", "0")]
    [InlineData("topup", "--topups", "995")]
    [InlineData("topup", "--rate", "0")]
    [InlineData("topup", "--postgres", "Host=192.0.2.1;Username=postgres")]
    [InlineData("dlms", "--duration", "0")]
    [InlineData("dlms", "--duration", "601")]
    [InlineData("demo-idle", "--meters", "0")]
    [InlineData("demo-idle", "--duration", "0")]
    [InlineData("demo-idle", "--warmup", "601")]
    public async Task A_bad_bench_argument_is_one_line_and_exit_code_2(string bench, string option, string value)
    {
        var (exit, stdout, stderr) = await PrepayAsync("bench", bench, option, value);

        OneLineError.Check(exit, stdout, stderr);
        Assert.StartsWith("prepay: " + option, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--postgres", null)]
    [InlineData("--postgres", "Host=192.0.2.1;Username=postgres")]
    [InlineData("--nodes", "1,9")]
    [InlineData("--nodes", "one")]
    [InlineData("--duration", "0")]
    [InlineData("--buyers", "0")]
    [InlineData("--meters", "1000")]
    public async Task A_bad_nodes_bench_argument_is_one_line_and_exit_code_2_before_anything_starts(string option, string? value)
    {
        string[] args = option == "--postgres"
            ? value is null ? ["bench", "nodes"] : ["bench", "nodes", "--postgres", value]
            : ["bench", "nodes", "--postgres", "Host=127.0.0.1;Username=postgres", option, value!];
        var (exit, stdout, stderr) = await PrepayAsync(args);

        OneLineError.Check(exit, stdout, stderr);
        Assert.StartsWith("prepay: " + option, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_low_an_open_file_limit_for_the_connections_is_one_line_and_exit_code_2()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/bin/sh"), "needs a shell to lower the limit");
        // The hard limit lowered too, so the bench cannot raise its own soft limit past it.
        var start = new ProcessStartInfo("/bin/sh");
        foreach (var a in new[] { "-c", "ulimit -n 1024 && exec \"$0\" \"$1\" bench connections --meters 5000", Host, Dll })
        {
            start.ArgumentList.Add(a);
        }

        var (exit, stdout, stderr) = await RunAsync(start);

        OneLineError.Check(exit, stdout, stderr);
        Assert.Contains("--meters 5000 needs about 6024 open files", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_peer_command_is_hidden_from_the_bench_help()
    {
        var (exit, stdout, stderr) = await PrepayAsync("bench", "--help");

        Assert.True(exit == 0, stderr);
        Assert.Matches(@"(?m)^\s+connections\b", stdout);
        Assert.Matches(@"(?m)^\s+topup\b", stdout);
        Assert.DoesNotContain("connections-peer", stdout, StringComparison.Ordinal);
    }
}
