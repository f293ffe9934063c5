using System.Diagnostics;

namespace Prepay.Cli.Tests.Hosting;

/// <summary>The built <c>prepay</c> executable, run as a user would run it.</summary>
public class ExecutableTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "prepay.dll");

    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        Assert.True(File.Exists(Dll), $"{Dll} is not next to the test assembly");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // A bound against a hang, not a timing: a fresh process migrating its database on a loaded two-core machine
        // beside the browser tests has taken over a minute to start.
        timeout.CancelAfter(TimeSpan.FromSeconds(180));
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

    [Fact]
    public async Task Serve_on_a_port_already_taken_says_so_in_one_line_and_exits_1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("prepay-serve-");
        try
        {
            // The broker on a free port, so that only the HTTP address is in the way.
            var (exit, _, stderr) = await RunAsync(new Dictionary<string, string> { ["PREPAY_Mqtt__Port"] = "0", ["PREPAY_Logging__LogLevel__Default"] = "None" },
                "serve", "--urls", $"http://127.0.0.1:{port}", "--data", data.FullName);

            Assert.True(exit == 1, $"exit code {exit}, stderr: {stderr}");
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()), l => l.Length > 0);
            Assert.StartsWith("prepay: a port the server needs is taken", line, StringComparison.Ordinal);
            Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Serve_on_postgres_with_an_embedded_broker_per_node_is_refused_in_one_line_before_touching_the_database()
    {
        var data = Directory.CreateTempSubdirectory("prepay-serve-");
        try
        {
            // Port 1: nothing listens there, so an attempt to reach the database would fail differently.
            var (exit, stdout, stderr) = await RunAsync(new Dictionary<string, string>
            {
                ["PREPAY_Storage__Provider"] = "Postgres",
                ["PREPAY_Storage__ConnectionString"] = "Host=127.0.0.1;Port=1;Username=prepay",
                ["PREPAY_Logging__LogLevel__Default"] = "None",
            }, "serve", "--urls", "http://127.0.0.1:0", "--data", data.FullName);
            OneLineError.Check(exit, stdout, stderr);
            Assert.Contains("Mqtt:Embedded=false", stderr, StringComparison.Ordinal);
            Assert.Contains("Cluster:SingleNode=true", stderr, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_option_exits_2_with_one_line_on_stderr()
    {
        var (exit, stdout, stderr) = await RunAsync("--bogus");
        OneLineError.Check(exit, stdout, stderr);
        Assert.StartsWith("prepay: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_named_in_the_error()
    {
        var (exit, stdout, stderr) = await RunAsync("--bogus");
        OneLineError.Check(exit, stdout, stderr);
        Assert.Contains("--bogus", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_exits_2_with_one_line_on_stderr()
    {
        var (exit, stdout, stderr) = await RunAsync("frobnicate");
        OneLineError.Check(exit, stdout, stderr);
    }

    [Fact]
    public async Task An_unknown_option_of_a_subcommand_exits_2_with_one_line_on_stderr()
    {
        var (exit, stdout, stderr) = await RunAsync("tariff", "quote", "--amont", "10.00");
        OneLineError.Check(exit, stdout, stderr);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_commands()
    {
        var (exit, stdout, stderr) = await RunAsync("--help");
        Assert.True(exit == 0, stderr);
        foreach (var command in new[] { "serve", "demo", "tariff", "sts" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", stdout);
        }
    }

    [Fact]
    public async Task Sts_decode_with_a_bad_key_exits_2_with_one_line_from_the_real_executable()
    {
        var (exit, stdout, stderr) = await RunAsync("sts", "decode", "--decoder-key", "xyz", "--token", "29054347139309851356");
        OneLineError.Check(exit, stdout, stderr);
    }

    [Fact]
    public async Task Sts_decode_of_the_worked_example_exits_0_and_prints_the_amount()
    {
        var (exit, stdout, stderr) = await RunAsync("sts", "decode", "--decoder-key", "0ABC12DEF3456789", "--token", "2905-4347-1393-0985-1356", "--json");
        Assert.True(exit == 0, stderr);
        Assert.Contains("\"amount\":\"25.6\"", stdout, StringComparison.Ordinal);
    }
}
