using Npgsql;

namespace Prepay.Testing;

/// <summary>
/// The databases the suite runs against. SQLite always; PostgreSQL when <c>PREPAY_TEST_POSTGRES</c> names a server
/// (the README's test command starts one). With <c>PREPAY_TEST_REQUIRE_POSTGRES=1</c> a missing server fails the
/// tests instead of skipping them, so CI cannot pass on SQLite alone.
/// </summary>
public static class Databases
{
    public static string? PostgresServer => Environment.GetEnvironmentVariable("PREPAY_TEST_POSTGRES");

    public static bool PostgresRequired => Environment.GetEnvironmentVariable("PREPAY_TEST_REQUIRE_POSTGRES") == "1";

    /// <summary>False when PostgreSQL tests should be skipped (no server configured and none required).</summary>
    public static bool PostgresAvailable => PostgresServer is not null || PostgresRequired;

    /// <summary>Creates an empty database of its own for one test class and returns its connection string.</summary>
    public static async Task<string> CreatePostgresDatabaseAsync()
    {
        var server = PostgresServer
            ?? throw new InvalidOperationException("PREPAY_TEST_POSTGRES is not set but PostgreSQL tests are required.");
        var name = "prepay_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
