using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Tokens;
using Prepay.Simulator.Tokens;

namespace Prepay.Simulator.Fleet;

/// <summary>What a vend gave: energy sold and, for token meters, the tokens to type (key change tokens first).</summary>
public sealed record VendOutcome(long EnergyWh, IReadOnlyList<string> Tokens, string? Error)
{
    public bool Ok => Error is null;
}

/// <summary>A meter as the server describes it.</summary>
public sealed record MeterInfo(string MeterNumber, bool IsSmart, TokenMeterParameters? Sts, string? Site);

/// <summary>The few calls the simulator makes to a Prepay server, over HTTP as any client would.</summary>
public sealed class PrepayApi(Uri baseAddress, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new(new RateLimitRetryHandler(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }))
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiKey) },
    };

    public Uri BaseAddress => baseAddress;

    /// <summary><c>POST /api/v1/vends</c>; a transport failure is retried with the same idempotency key.</summary>
    public async Task<VendOutcome> VendAsync(string meterNumber, int amount, string currency, string idempotencyKey, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vends")
                {
                    Content = JsonContent.Create(new { meterNumber, amount = amount.ToString(CultureInfo.InvariantCulture) + ".00", currency }),
                };
                request.Headers.Add("Idempotency-Key", idempotencyKey);
                using var response = await _http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    return new VendOutcome(0, [], $"{(int)response.StatusCode}: {body}");
                }
                var json = JsonNode.Parse(body)!;
                var tokens = new List<string>();
                if (json["keyChangeTokens"] is JsonArray keyChange)
                {
                    tokens.AddRange(keyChange.Select(t => t!.GetValue<string>()));
                }
                if (json["token"] is JsonValue token)
                {
                    tokens.Add(token.GetValue<string>());
                }
                return new VendOutcome(json["energyWh"]!.GetValue<long>(), tokens, null);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                await Task.Delay(200 * attempt, ct);
            }
        }
    }

    public async Task<MeterInfo?> MeterAsync(string meterNumber, CancellationToken ct)
    {
        using var response = await _http.GetAsync($"/api/v1/meters/{meterNumber}", ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        var smart = string.Equals(json["mode"]?.GetValue<string>(), "smart", StringComparison.OrdinalIgnoreCase);
        TokenMeterParameters? sts = null;
        if (json["sts"] is JsonObject s)
        {
            sts = new TokenMeterParameters(
                s["supplyGroupCode"]!.GetValue<int>(), s["keyRevisionNumber"]!.GetValue<int>(), s["tariffIndex"]!.GetValue<int>(), s["keyType"]!.GetValue<int>(),
                Enum.Parse<EncryptionAlgorithm>(s["encryptionAlgorithm"]!.ToString(), ignoreCase: true),
                Enum.Parse<BaseDate>(s["baseDate"]!.ToString(), ignoreCase: true));
        }
        return new MeterInfo(meterNumber, smart, sts, json["site"]?.GetValue<string>());
    }

    /// <summary>POST or PUT a JSON body; throws with the server's answer on failure (provisioning only).</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public void Dispose() => _http.Dispose();
}
