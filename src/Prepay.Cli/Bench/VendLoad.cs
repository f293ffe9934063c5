using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Prepay.Cli.Bench;

/// <summary>What one timed stretch of load did.</summary>
public sealed record LoadResult(TimeSpan Elapsed, int Vends, int Retries, int Errors, IReadOnlyList<string> ErrorSamples, VendTally Tally, LatencySamples Latencies)
{
    public double VendsPerSecond => Elapsed > TimeSpan.Zero ? Vends / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// N clients, each looping <c>POST /api/v1/vends</c> until the time is up, one request at a time, every vend with a
/// new idempotency key and the meters taken in turn. A share of requests repeat an earlier key of the same client
/// with the same body: a retry, which must come back with the original vend. Only first attempts are timed.
/// </summary>
public sealed class VendLoad(HttpClient http, IReadOnlyList<string> meterNumbers, string amount, string keyPrefix, double retryShare, int seed)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly byte[][] _bodies = meterNumbers
        .Select(m => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { meterNumber = m, amount, currency = "ZAR" })))
        .ToArray();

    private int _vends;
    private int _errors;

    /// <summary>Vends acknowledged so far (for the live line).</summary>
    public int Vends => Volatile.Read(ref _vends);

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Runs the clients for <paramref name="duration"/>; <paramref name="phase"/> keeps each stretch's keys apart.</summary>
    public async Task<LoadResult> RunAsync(string phase, int clients, TimeSpan duration, CancellationToken ct)
    {
        _vends = 0;
        _errors = 0;
        var clock = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(phase, c, clients, clock, duration, ct), ct)).ToArray();
        var parts = await Task.WhenAll(runs);
        var elapsed = clock.Elapsed;
        var tally = new VendTally();
        foreach (var p in parts)
        {
            tally.Add(p.Tally);
        }
        return new LoadResult(elapsed, parts.Sum(p => p.Vends), parts.Sum(p => p.Retries), parts.Sum(p => p.Errors),
            parts.SelectMany(p => p.ErrorSamples).Take(5).ToList(), tally, LatencySamples.Merge(parts.Select(p => p.Latencies)));
    }

    private async Task<LoadResult> ClientAsync(string phase, int client, int clients, Stopwatch clock, TimeSpan duration, CancellationToken ct)
    {
        var rng = new Random(unchecked(seed * 31 + client));
        var tally = new VendTally();
        var latencies = new LatencySamples();
        var own = new List<(string Key, int Meter, Guid Id)>();
        var errorSamples = new List<string>();
        int vends = 0, retries = 0, errors = 0;
        long seq = 0;
        while (clock.Elapsed < duration && !ct.IsCancellationRequested)
        {
            var retry = own.Count > 0 && rng.NextDouble() < retryShare;
            string key;
            int meter;
            var original = Guid.Empty;
            if (retry)
            {
                (key, meter, original) = own[rng.Next(own.Count)];
            }
            else
            {
                meter = (int)((client + seq * clients) % _bodies.Length);
                key = $"{keyPrefix}-{phase}-{client}-{seq}";
                seq++;
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/vends") { Content = new ByteArrayContent(_bodies[meter]) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Add("Idempotency-Key", key);
            var start = Stopwatch.GetTimestamp();
            string? failure;
            var id = Guid.Empty;
            try
            {
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                if (response.StatusCode == HttpStatusCode.Created && !retry && response.Headers.Contains("Idempotent-Replayed"))
                {
                    // A new key answered as a retry: the bench reused a key, and its vend counts would be wrong.
                    failure = $"first attempt with key {key} was answered as a replay";
                }
                else if (response.StatusCode == HttpStatusCode.Created)
                {
                    id = ReadId(body);
                    failure = null;
                }
                else
                {
                    failure = $"{(int)response.StatusCode} {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}";
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or FormatException && !ct.IsCancellationRequested)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }
            var ticks = Stopwatch.GetTimestamp() - start;

            if (failure is not null)
            {
                errors++;
                Interlocked.Increment(ref _errors);
                if (!retry)
                {
                    tally.FailedKeys.Add(key);
                }
                if (errorSamples.Count < 5)
                {
                    errorSamples.Add(failure);
                }
            }
            else if (retry)
            {
                retries++;
                tally.Retries.Add(new RetryAnswer(key, original, id));
            }
            else
            {
                vends++;
                Interlocked.Increment(ref _vends);
                latencies.Add(ticks);
                own.Add((key, meter, id));
                tally.Acknowledged.Add(new AcknowledgedVend(key, id));
            }
        }
        return new LoadResult(clock.Elapsed, vends, retries, errors, errorSamples, tally, latencies);
    }

    private static Guid ReadId(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("id").GetGuid();
    }
}
