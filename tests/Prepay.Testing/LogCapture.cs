using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Prepay.Testing;

/// <summary>
/// What a test server logged at error level or above (an exception that escaped a request, a background service
/// or a message handler ends up here), so that a test can say "nothing went wrong inside" and not only "the answer
/// looked right". Added to the server's logger factory after it is built; the server's own filters still apply.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _errors = new();
    private int _count;

    /// <summary>Everything logged at <see cref="LogLevel.Error"/> or <see cref="LogLevel.Critical"/> so far, in order.</summary>
    public IReadOnlyList<LogEntry> Errors => [.. _errors];

    /// <summary>A position to read from later with <see cref="ErrorsSince"/>.</summary>
    public int Mark() => Volatile.Read(ref _count);

    public IReadOnlyList<LogEntry> ErrorsSince(int mark) => [.. _errors.Skip(mark)];

    /// <summary>Fails with every error logged since <paramref name="mark"/> (and <paramref name="context"/>, e.g. how to replay).</summary>
    public void AssertNoErrorsSince(int mark, string? context = null)
    {
        var errors = ErrorsSince(mark);
        Assert.True(errors.Count == 0,
            $"The server logged {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}{(context is null ? "" : Environment.NewLine + context)}");
    }

    public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

    // The server's logger factory disposes its providers when it stops; the capture outlives a restart.
    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        _errors.Enqueue(entry);
        Interlocked.Increment(ref _count);
    }

    private sealed class Capturing(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.Add(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception));
            }
        }
    }
}

/// <summary>One captured log entry.</summary>
public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"[{Level}] {Category}: {Message}{(Exception is null ? "" : Environment.NewLine + Exception)}";
}
