using Microsoft.Extensions.Configuration;
using Prepay.Server.Cluster;

namespace Prepay.Server.Tests.Cluster;

/// <summary>A PostgreSQL configuration is one of several nodes unless it says otherwise, and must be safe as one.</summary>
public sealed class ClusterChecksTests
{
    private static readonly Dictionary<string, string?> SharedEverything = new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Mqtt:Embedded"] = "false",
        ["Mqtt:Host"] = "broker.internal",
        ["Mqtt:CredentialSecret"] = "c",
        ["Mqtt:CommandSecret"] = "k",
        ["DataProtection:KeySecret"] = "d",
    };

    private static string? Check(Dictionary<string, string?> settings) =>
        ClusterChecks.Problem(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private static Dictionary<string, string?> With(string key, string? value) => new(SharedEverything) { [key] = value };

    [Fact]
    public void A_postgres_node_with_a_shared_broker_and_every_secret_set_may_start() => Assert.Null(Check(SharedEverything));

    [Fact]
    public void Sqlite_is_one_node_and_is_not_checked() => Assert.Null(Check(new() { ["Storage:Provider"] = "Sqlite" }));

    [Fact]
    public void A_postgres_node_with_its_own_embedded_broker_is_refused_unless_it_says_it_is_the_only_one()
    {
        var problem = Check(With("Mqtt:Embedded", "true"));
        Assert.NotNull(problem);
        Assert.Contains("Mqtt:Embedded=false", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
        Assert.Null(Check(new(With("Mqtt:Embedded", "true")) { [ClusterChecks.SingleNodeKey] = "true" }));
    }

    [Theory]
    [InlineData("Mqtt:CredentialSecret")]
    [InlineData("Mqtt:CommandSecret")]
    [InlineData("DataProtection:KeySecret")]
    public void A_postgres_node_without_a_shared_secret_is_refused_naming_it(string secret)
    {
        var problem = Check(With(secret, null));
        Assert.NotNull(problem);
        Assert.Contains(secret, problem, StringComparison.Ordinal);
        Assert.Null(Check(new(With(secret, null)) { [ClusterChecks.SingleNodeKey] = "true" }));
    }
}
