using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Alerts.Channels;
using Prepay.Alerts.Dispatch;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Testing;

namespace Prepay.Alerts.Tests;

/// <summary>
/// A server without email (the demo's case): receipts addressed by email fail once, for good, and the log says so
/// once, not once per receipt. The server's own dispatcher is off; the test runs one of its own with a logger it reads.
/// </summary>
public sealed class UnconfiguredChannelTests(UnconfiguredChannelTests.NoEmailServer server) : IClassFixture<UnconfiguredChannelTests.NoEmailServer>
{
    public sealed class NoEmailServer : ServerFixture
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Alerts:Dispatch"] = "false" };
    }

    [Fact]
    public async Task Notifications_for_a_channel_without_configuration_fail_at_once_and_are_logged_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = server.Clock.GetCurrentInstant();
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.CreateVersion7()).ToList();
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            db.Notifications.AddRange(ids.Select((id, i) => new NotificationRecord
            {
                Id = id, Channel = NotificationChannel.Email, Kind = "topUp", DedupKey = $"unconfigured-{id:N}",
                Recipient = $"customer{i}@example.org", Subject = "Receipt", Body = "Your top-up", State = NotificationState.Pending,
                NextAttemptAt = now, CreatedAt = now,
            }));
            await db.SaveChangesAsync(ct);
        }
        var log = new RecordingLogger();
        var dispatcher = new AlertDispatcher(server.Services.GetRequiredService<IServiceScopeFactory>(),
            server.Services.GetServices<INotificationChannel>(), server.Clock, server.Services.GetRequiredService<AlertsOptions>(), log);

        Assert.Equal(3, await dispatcher.DispatchOnceAsync(ct));
        server.Clock.Advance(Duration.FromDays(2));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(ct)); // failed for good: not claimed again, however late

        await using (var scope = server.Scope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Notifications.AsNoTracking().Where(n => ids.Contains(n.Id)).ToListAsync(ct);
            Assert.All(stored, n =>
            {
                Assert.Equal(NotificationState.Failed, n.State);
                Assert.Equal(1, n.Attempts);
                Assert.Equal("email is not configured (Alerts:Smtp:Host)", n.LastError);
            });
        }
        var said = Assert.Single(log.Entries, e => e.Level >= LogLevel.Information);
        Assert.Contains("email is not configured", said.Message, StringComparison.Ordinal);
        Assert.Equal(2, log.Entries.Count(e => e.Level == LogLevel.Debug));
    }

    private sealed class RecordingLogger : ILogger<AlertDispatcher>
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

        public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
