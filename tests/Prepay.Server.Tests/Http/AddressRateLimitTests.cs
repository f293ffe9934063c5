using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Server.Tests.Http;

/// <summary>A SQLite server that lets one client address make 20 requests a second with bursts of 40, whatever key it shows.</summary>
public sealed class AddressRateLimitServer : ServerFixture
{
    public const int PermitsPerSecond = 20;
    public const int Burst = 40;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["RateLimit:PerAddressPermitsPerSecond"] = PermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit:PerAddressBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The limit before authentication: per client address, so a made-up Authorization header buys no fresh bucket.</summary>
public sealed class AddressRateLimitTests(AddressRateLimitServer server) : IClassFixture<AddressRateLimitServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_requests_with_random_authorization_values_from_one_address_are_limited()
    {
        using var client = server.Client(apiKey: null);
        var clock = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        string? limitedHeaders = null;
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/customers?limit=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limitedHeaders ??= $"{string.Join(",", response.Headers.GetValues("X-Content-Type-Options"))} {response.Headers.CacheControl}";
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;

        // Unknown keys are 401 while the address has tokens left, 429 after: at most the burst and what refills.
        var passed = statuses.Count(s => s != HttpStatusCode.TooManyRequests);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.InRange(passed, AddressRateLimitServer.Burst, AddressRateLimitServer.Burst + (int)Math.Ceiling(seconds + 1) * AddressRateLimitServer.PermitsPerSecond);
        Assert.True(statuses.Any(s => s == HttpStatusCode.TooManyRequests), $"no request limited in {seconds:0.0} s");
        // A refusal written before anything else ran still carries the security headers.
        Assert.Equal("nosniff no-store", limitedHeaders);
    }
}
