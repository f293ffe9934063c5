using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// A server that estimates gaps on ingestion. <c>MeterData:Vee:Estimate</c> is on by default; it is set here all the
/// same, so that tests about estimates keep meaning what they say whatever the default becomes. The database is
/// picked as every fixture picks it (<see cref="SqliteServer"/>, <see cref="PostgresServer"/>): a class fixture needs
/// a parameterless constructor, so each provider is a one-line subclass and the settings live here once.
/// </summary>
public abstract class EstimatingServer : ServerFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["MeterData:Vee:Estimate"] = "true" };
}

public sealed class EstimatingSqliteServer : EstimatingServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class EstimatingPostgresServer : EstimatingServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
