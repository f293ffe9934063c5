using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;

namespace Prepay.HeadEnd.Tests.Link;

/// <summary>An embedded broker on its own, without a server or database: what a connection is let in or refused by.</summary>
public sealed class LinkBroker : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();

    public LinkBroker(MqttOptions options)
    {
        Options = options;
        Rejections = new RejectionCounter(_services.GetRequiredService<IServiceScopeFactory>(), new FakeClock(Instant.FromUtc(2026, 11, 23, 8, 0)));
        Limits = new MeterRateLimits(options.Limits, Rejections, NullLogger<MeterRateLimits>.Instance);
        Broker = new EmbeddedBroker(options, Credentials, Rejections, Limits, NullLogger<EmbeddedBroker>.Instance);
    }

    public MqttOptions Options { get; }

    public MeterCredentials Credentials { get; } = new("link-test-secret");

    public RejectionCounter Rejections { get; }

    public MeterRateLimits Limits { get; }

    public EmbeddedBroker Broker { get; }

    public static async Task<LinkBroker> StartAsync(MqttOptions options)
    {
        options.Port = 0;
        var broker = new LinkBroker(options);
        await broker.Broker.StartAsync(CancellationToken.None);
        return broker;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        Limits.Dispose();
        await _services.DisposeAsync();
    }
}
