using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Domain.Metering;
using Prepay.Server.Cluster;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Server.Tests.Cluster;

/// <summary>A server whose MQTT meters have outgrown the embedded broker says so at start, naming Mosquitto; one that has not, or that uses an external broker, says nothing.</summary>
public sealed class EmbeddedBrokerSizeTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public async Task Past_the_embedded_brokers_size_the_warning_counts_the_mqtt_meters_and_names_mosquitto()
    {
        var ct = TestContext.Current.CancellationToken;
        await Scenario.CreateAsync(server, mode: "smart");
        await Scenario.CreateAsync(server, mode: "smart");
        int mqttMeters;
        await using (var scope = server.Scope())
        {
            mqttMeters = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.CountAsync(m => m.Transport == MeterTransport.Mqtt, ct);
        }
        Assert.True(mqttMeters >= 2);

        var warning = await EmbeddedBrokerSize.WarningAsync(server.Services, Settings((EmbeddedBrokerSize.MaxMetersKey, (mqttMeters - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))), ct);
        Assert.NotNull(warning);
        Assert.StartsWith($"{mqttMeters:N0} MQTT meters are registered", warning, StringComparison.Ordinal);
        Assert.Contains("run Mosquitto (Mqtt:Embedded=false", warning, StringComparison.Ordinal);

        Assert.Null(await EmbeddedBrokerSize.WarningAsync(server.Services, Settings((EmbeddedBrokerSize.MaxMetersKey, mqttMeters.ToString(System.Globalization.CultureInfo.InvariantCulture))), ct));
        Assert.Null(await EmbeddedBrokerSize.WarningAsync(server.Services, Settings((EmbeddedBrokerSize.MaxMetersKey, "1"), ("Mqtt:Embedded", "false"), ("Mqtt:Host", "broker.internal")), ct));
        // The default size is far above a test's meters.
        Assert.Null(await EmbeddedBrokerSize.WarningAsync(server.Services, Settings(), ct));
    }
}
