using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Alerts.Tests;

/// <summary>
/// A test server whose alerts go to a real SMTP server (<see cref="SmtpSink"/>) and whose webhooks can reach a real
/// receiver (<see cref="WebhookReceiver"/>), both on loopback and both stopped with the fixture.
/// </summary>
public abstract class AlertsServer : ServerFixture, IAsyncLifetime, IAsyncDisposable
{
    public SmtpSink Smtp { get; } = new();

    public WebhookReceiver Hooks { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => Settings(Smtp.Port);

    public static Dictionary<string, string?> Settings(int smtpPort) => new(SmtpSink.SettingsFor(smtpPort, "alerts@prepay.test"))
    {
        ["Alerts:PollInterval"] = "00:00:00.200",
        ["Alerts:FirstRetryDelay"] = "00:00:30",
        // The test receiver listens on http on loopback, which production webhooks may not use.
        ["Alerts:Webhooks:AllowHttp"] = "true",
        ["Alerts:Webhooks:AllowPrivateTargets"] = "true",
        // Short, so that a test can move the clock past it without moving it a day.
        ["Alerts:Webhooks:SecretOverlap"] = "00:10:00",
    };

    public new async ValueTask InitializeAsync()
    {
        Hooks = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Hooks is not null)
        {
            await Hooks.DisposeAsync();
        }
        Smtp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class AlertsSqliteServer : AlertsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class AlertsPostgresServer : AlertsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>One of several servers started one after the other on the same database, sending to the same SMTP server.</summary>
public sealed class SharedDatabaseServer(DatabaseProvider provider, string connectionString, int smtpPort) : ServerFixture
{
    public override DatabaseProvider Provider => provider;

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = AlertsServer.Settings(smtpPort);
            settings["Storage:ConnectionString"] = connectionString;
            return settings;
        }
    }
}
