using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Server.Tests.Catalog;

/// <summary>Small shared steps of the catalog tests: raw calls, problem checks, unique names, audit lookups.</summary>
internal static class Calls
{
    private static int _counter;

    public static string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}{Guid.NewGuid().ToString("N")[..6]}";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PostJson(HttpClient client, string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request, Ct);
    }

    public static Task<HttpResponseMessage> PostWithKey(HttpClient client, string path, object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request, Ct);
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and returns its body.</summary>
    public static async Task<JsonNode> Problem(HttpStatusCode status, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        return body;
    }

    /// <summary>Asserts a 400 validation problem that names every one of <paramref name="fields"/>.</summary>
    public static async Task<JsonNode> Invalid(HttpResponseMessage response, params string[] fields)
    {
        var body = await Problem(HttpStatusCode.BadRequest, response);
        var errors = body["errors"]?.AsObject();
        Assert.True(errors is not null, body.ToJsonString());
        foreach (var field in fields)
        {
            Assert.True(errors.ContainsKey(field), $"no error for '{field}' in {body.ToJsonString()}");
        }
        return body;
    }

    public static async Task<List<JsonNode>> AuditAsync(HttpClient admin, string action)
    {
        var rows = await Scenario.Ok(await admin.GetAsync($"/api/v1/audit?action={action}&limit=1000", Ct));
        return rows.AsArray().Select(r => r!).ToList();
    }

    public static async Task<T> InDb<T>(ServerFixture server, Func<PrepayDb, Task<T>> query)
    {
        await using var scope = server.Scope();
        return await query(scope.ServiceProvider.GetRequiredService<PrepayDb>());
    }

    public static Task<int> AuditCount(ServerFixture server) => InDb(server, db => db.Audit.CountAsync(Ct));
}
