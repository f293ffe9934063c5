using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Testing;

namespace Prepay.Server.Tests.Http;

/// <summary>Per-key rate limits, against a server configured for 2 requests a second with bursts of 3.</summary>
public sealed class RateLimitTests(LowRateLimitServer server) : IClassFixture<LowRateLimitServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> NewOperatorAsync()
    {
        using var admin = server.Client();
        // The admin key is limited too, and every test here uses it: wait out its own limit rather than fail on it.
        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "rate-" + Guid.NewGuid().ToString("N")[..8], role = "operator" }, Ct);
        for (var i = 0; i < 5 && created.StatusCode == HttpStatusCode.TooManyRequests; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
            created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "rate-" + Guid.NewGuid().ToString("N")[..8], role = "operator" }, Ct);
        }
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!;
        Assert.True(created.IsSuccessStatusCode, body.ToJsonString());
        return server.Client(body["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rapid_calls_with_one_key_get_429_problems_with_retry_after_once_the_burst_is_spent()
    {
        using var client = await NewOperatorAsync();
        var clock = Stopwatch.StartNew();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            responses.Add(await client.GetAsync("/api/v1/customers?limit=1", Ct));
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(responses.Count, ok + limited.Count);
        Assert.All(responses.Take(LowRateLimitServer.Burst), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.NotEmpty(limited);
        Assert.InRange(ok, LowRateLimitServer.Burst, LowRateLimitServer.Burst + (int)Math.Ceiling(seconds + 1) * LowRateLimitServer.PermitsPerSecond);

        var first = limited[0];
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.RetryAfter is not null, "no Retry-After header");
        var problem = JsonNode.Parse(await first.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Equal("urn:prepay:problem:rate-limited", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_key_being_limited_does_not_limit_another_key()
    {
        using var busy = await NewOperatorAsync();
        using var quiet = await NewOperatorAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => busy.GetAsync("/api/v1/customers?limit=1", Ct)));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/v1/customers?limit=1", Ct)).StatusCode);
    }

    [Fact]
    public async Task Health_checks_are_never_limited()
    {
        // Ready once the head-end's connection to its broker is up, which happens in the background at start.
        await server.Services.GetRequiredService<Prepay.HeadEnd.Mqtt.MqttHeadEnd>().Connected.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var anonymous = server.Client(apiKey: null);
        using var keyed = server.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).SelectMany(i => new[]
        {
            anonymous.GetAsync(i % 2 == 0 ? "/health/live" : "/health/ready", Ct),
            keyed.GetAsync("/health/live", Ct),
        }));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task The_limit_is_a_rate_not_a_ban_once_tokens_refill_calls_succeed_again()
    {
        using var client = await NewOperatorAsync();
        var burst = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.GetAsync("/api/v1/customers?limit=1", Ct)));
        Assert.Contains(burst, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        // Real time, not the fake clock: the limiter refills PermitsPerSecond tokens each second.
        await Task.Delay(TimeSpan.FromSeconds(1.6), Ct);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/customers?limit=1", Ct)).StatusCode);
    }
}
