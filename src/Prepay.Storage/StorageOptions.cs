namespace Prepay.Storage;

/// <summary>
/// Where Prepay keeps its data. Bound from the <c>Storage</c> configuration section, e.g. environment variables
/// <c>Storage__Provider=Postgres</c> and <c>Storage__ConnectionString=Host=…</c>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><see cref="DatabaseProvider.Sqlite"/> (default, one file in <see cref="DataDirectory"/>) or <see cref="DatabaseProvider.Postgres"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite it overrides the file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL only, optional: where the head-end's command listener holds its one long-lived connection
    /// (<c>LISTEN prepay_commands</c>, so that a command queued on any node wakes every node's dispatcher at once).
    /// Behind pgbouncer in transaction mode (or any pooler that hands a session's statements to different server
    /// connections) LISTEN does not work: give this a direct connection to the server, while
    /// <see cref="ConnectionString"/> goes through the pooler. Empty: the listener uses <see cref="ConnectionString"/>.
    /// Without notifications the dispatcher still finds every command at its next poll (<c>Mqtt:DispatchInterval</c>).
    /// </summary>
    public string? ListenConnectionString { get; set; }

    /// <summary>The connection string the command listener uses (<see cref="ListenConnectionString"/> or the main one).</summary>
    public string ResolveListenConnectionString() =>
        string.IsNullOrWhiteSpace(ListenConnectionString) ? ResolveConnectionString() : ListenConnectionString;

    /// <summary>
    /// Months of meter readings kept: older ones are dropped (on PostgreSQL a month's partition at a time, on SQLite
    /// deleted), by a daily job once across the cluster. 0, the default, keeps every reading.
    /// </summary>
    public int ReadingRetentionMonths { get; set; }

    /// <summary>Folder for the SQLite database and other local state. Default: <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    public string ResolveConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }
        if (Provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is Postgres.");
        }
        Directory.CreateDirectory(DataDirectory);
        return $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), "prepay.db")};Default Timeout=30";
    }
}
