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
