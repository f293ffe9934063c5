using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Prepay.Cli.Bench;

/// <summary>
/// A child <c>prepay bench connections-peer</c> process, started from this same executable, and the parent's side of
/// <see cref="PeerProtocol"/>. Disposing it kills the child if it is still running, so no peer outlives its bench.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    public const string CommandName = "connections-peer";

    private readonly Process _process;
    private readonly Channel<(string Kind, string Json)> _lines = Channel.CreateUnbounded<(string, string)>();
    private readonly Queue<string> _stderr = new();
    private readonly Task _reading;
    private readonly Task _readingErrors;

    private PeerProcess(Process process)
    {
        _process = process;
        _reading = Task.Run(ReadOutAsync);
        _readingErrors = Task.Run(ReadErrorsAsync);
    }

    public int Id => _process.Id;

    /// <summary>The last lines the child wrote on stderr, for a failure report.</summary>
    public string ErrorTail
    {
        get
        {
            lock (_stderr)
            {
                return string.Join(" | ", _stderr);
            }
        }
    }

    public static async Task<PeerProcess> StartAsync(PeerPlan plan, CancellationToken ct)
    {
        var start = SelfStartInfo("bench", CommandName);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the peer process did not start");
        var peer = new PeerProcess(process);
        await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(plan).AsMemory(), ct);
        await process.StandardInput.FlushAsync(ct);
        return peer;
    }

    /// <summary>
    /// This executable again: the apphost when that is what runs (<c>prepay</c>), else <c>prepay.dll</c> beside this
    /// assembly under the dotnet host (<c>dotnet prepay.dll</c>, and the tests, whose process is the test runner).
    /// </summary>
    public static ProcessStartInfo SelfStartInfo(params string[] args)
    {
        var path = Environment.ProcessPath;
        ProcessStartInfo start;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "prepay")
        {
            start = new ProcessStartInfo(path);
        }
        else
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
                : path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
                : "dotnet";
            start = new ProcessStartInfo(host);
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "prepay.dll"));
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        return start;
    }

    /// <summary>The next message of the given kinds (others are skipped); throws when the child ends first.</summary>
    public async Task<(string Kind, string Json)> NextAsync(CancellationToken ct, params string[] kinds)
    {
        while (await _lines.Reader.WaitToReadAsync(ct))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                if (kinds.Contains(line.Kind))
                {
                    return line;
                }
            }
        }
        await _process.WaitForExitAsync(ct);
        throw new PeerFailedException($"the peer process ended (exit code {_process.ExitCode}) before it said '{string.Join("' or '", kinds)}'{(ErrorTail is { Length: > 0 } e ? ": " + e : "")}");
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync(PeerProtocol.Stop.AsMemory(), ct);
                await _process.StandardInput.FlushAsync(ct);
            }
            catch (IOException)
            {
                // It ended by itself; NextAsync reports that.
            }
        }
    }

    /// <summary>Waits for the child to exit on its own, then kills it.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return null;
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private async Task ReadOutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (PeerProtocol.TryRead(line, out var kind, out var json))
            {
                _lines.Writer.TryWrite((kind, json));
            }
        }
        _lines.Writer.TryComplete();
    }

    private async Task ReadErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.Enqueue(line.Length > 300 ? line[..300] : line);
                while (_stderr.Count > 5)
                {
                    _stderr.Dequeue();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        await Task.WhenAll(_reading, _readingErrors);
        _process.Dispose();
    }
}

/// <summary>The peer process ended or said something other than the protocol expects.</summary>
public sealed class PeerFailedException(string message) : Exception(message);
