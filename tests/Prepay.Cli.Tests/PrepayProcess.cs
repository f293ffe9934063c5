using System.Diagnostics;
using System.Text;

namespace Prepay.Cli.Tests;

/// <summary>
/// The built <c>prepay</c> executable run as a child process, its output collected line by line so that a test
/// can await a line (the port a server printed) and kill it with SIGKILL (<see cref="Process.Kill()"/> on Unix).
/// </summary>
internal sealed class PrepayProcess : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "prepay.dll");
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Line)> _waiters = [];

    public PrepayProcess(params string[] args)
        : this(null, args)
    {
    }

    /// <param name="environment">Variables set for the child beside the test's own (PREPAY_… configuration).</param>
    public PrepayProcess(IReadOnlyDictionary<string, string>? environment, params string[] args)
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Line(e.Data);
        _process.ErrorDataReceived += (_, e) => Line(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The first output line (past or future) that <paramref name="match"/> accepts.</summary>
    public Task<string> LineAsync(Func<string, bool> match)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_output.ToString().Split('\n').FirstOrDefault(match) is { } line)
            {
                found.SetResult(line);
            }
            else
            {
                _waiters.Add((match, found));
            }
        }
        return found.Task;
    }

    public bool HasExited => _process.HasExited;

    public async Task<int> ExitAsync(TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no handler, no flush, no finally runs in the child.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _output.Append(line).Append('\n');
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Line.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
