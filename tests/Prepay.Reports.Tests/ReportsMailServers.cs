using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Reports.Tests;

/// <summary>
/// A reports server whose email goes to a real SMTP server on loopback (<see cref="SmtpSink"/>), stopped with the
/// fixture. Its report schedules run when a test says (<c>Reports:Schedules</c> off), so a test knows what one round did.
/// </summary>
public abstract class ReportsMailServer : ReportsServer, IAsyncDisposable
{
    public SmtpSink Smtp { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings.Concat(Smtp.Settings("reports@prepay.test")))
    {
        ["Alerts:PollInterval"] = "00:00:00.200",
        ["Reports:Schedules"] = "false",
    };

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class ReportsMailSqliteServer : ReportsMailServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ReportsMailPostgresServer : ReportsMailServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
