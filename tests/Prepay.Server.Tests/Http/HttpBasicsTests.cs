using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Testing;

namespace Prepay.Server.Tests.Http;

/// <summary>What every endpoint shares: health, the API description, and problem details for every error.</summary>
public abstract class HttpBasicsTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> ProblemOf(HttpStatusCode status, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        Assert.NotNull(body["title"]);
        return body;
    }

    [Theory]
    [InlineData("GET", "/api/v1/customers", null, 401)] // no key
    [InlineData("GET", "/api/v1/no-such-thing", "admin", 404)]
    [InlineData("POST", "/api/v1/vends", "admin", 415)] // no body
    [InlineData("GET", "/console", null, 302)] // a page's challenge: to the sign-in
    [InlineData("GET", "/api/v1/customers?limit=1", "admin", 200)]
    public async Task Every_response_carries_the_security_headers_and_is_not_cached(string method, string path, string? key, int status)
    {
        server.SkipUnlessAvailable();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServerFixture.AdminKey);
        }
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control {response.Headers.CacheControl}");
    }

    [Theory]
    [InlineData("/health/live", "live")]
    [InlineData("/health/ready", "ready")]
    public async Task Health_endpoints_answer_200_without_a_key(string path, string status)
    {
        server.SkipUnlessAvailable();
        // Ready once the head-end's connection to its broker is up, which happens in the background at start.
        await server.Services.GetRequiredService<Prepay.HeadEnd.Mqtt.MqttHeadEnd>().Connected.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var anonymous = server.Client(apiKey: null);
        var response = await anonymous.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_vending_and_catalog_endpoints()
    {
        server.SkipUnlessAvailable();
        using var client = server.Client();
        var response = await client.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.StartsWith("3.", doc["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = doc["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/v1/vends"), string.Join(", ", paths.Select(p => p.Key)));
        Assert.NotNull(paths["/api/v1/vends"]!["post"]);
        Assert.True(paths.ContainsKey("/api/v1/tariffs/{code}/quote"));
        Assert.True(paths.ContainsKey("/api/v1/meters/{meterNumber}/installation"));
    }

    [Fact]
    public async Task The_api_reference_page_is_html_and_loads_no_fonts_from_external_hosts()
    {
        server.SkipUnlessAvailable();
        using var client = server.Client(apiKey: null);
        var response = await client.GetAsync("/scalar/", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Prepay API", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.googleapis", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fonts.gstatic", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/nothing/here")]
    [InlineData("/api/v1/customers/not-a-guid")]
    public async Task An_unknown_route_is_a_404_problem(string path)
    {
        server.SkipUnlessAvailable();
        using var client = server.Client();
        await ProblemOf(HttpStatusCode.NotFound, await client.GetAsync(path, Ct));
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        server.SkipUnlessAvailable();
        using var client = server.Client();
        await ProblemOf(HttpStatusCode.MethodNotAllowed, await client.DeleteAsync("/api/v1/customers", Ct));
        await ProblemOf(HttpStatusCode.MethodNotAllowed, await client.PutAsJsonAsync("/api/v1/vends", new { }, Ct));
    }

    [Theory]
    [InlineData("/api/v1/customers", "text/plain")]
    [InlineData("/api/v1/sites", "application/xml")]
    [InlineData("/api/v1/vends", "application/x-www-form-urlencoded")]
    [InlineData("/api/v1/meters", "text/json-ish")]
    public async Task A_wrong_content_type_is_a_415_problem(string path, string contentType)
    {
        server.SkipUnlessAvailable();
        using var client = server.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"name":"x"}""", Encoding.UTF8, contentType) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await ProblemOf(HttpStatusCode.UnsupportedMediaType, await client.SendAsync(request, Ct));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_that_says_where()
    {
        server.SkipUnlessAvailable();
        using var client = server.Client();
        var body = await ProblemOf(HttpStatusCode.BadRequest, await client.PostAsync("/api/v1/customers",
            new StringContent("{\"name\": \"x\",\n \"indigent\": maybe}", Encoding.UTF8, "application/json"), Ct));
        Assert.Contains("line 2", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_holding_NUL_is_a_400_problem_naming_the_member_and_nothing_is_written()
    {
        // PostgreSQL cannot store NUL in text (SQLSTATE 22021): it used to surface as a 500 after a half-done request.
        server.SkipUnlessAvailable();
        using var client = server.Client();
        var marker = "nul-" + Guid.NewGuid().ToString("N");
        var body = await ProblemOf(HttpStatusCode.BadRequest, await client.PostAsync("/api/v1/customers",
            new StringContent($$"""{"name": "{{marker}}\u0000x"}""", Encoding.UTF8, "application/json"), Ct));
        Assert.Contains("name", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("NUL", body.ToJsonString(), StringComparison.Ordinal);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<Prepay.Storage.PrepayDb>();
        Assert.False(await db.Customers.AnyAsync(c => c.Name.StartsWith(marker), Ct));
    }

    [Fact]
    public async Task Errors_carry_a_trace_id()
    {
        server.SkipUnlessAvailable();
        using var client = server.Client();
        var body = await ProblemOf(HttpStatusCode.NotFound, await client.GetAsync($"/api/v1/customers/{Guid.NewGuid()}", Ct));
        Assert.False(string.IsNullOrEmpty(body["traceId"]?.GetValue<string>()));
    }
}

public sealed class HttpBasicsSqliteTests(SqliteServer server) : HttpBasicsTests(server), IClassFixture<SqliteServer>;

public sealed class HttpBasicsPostgresTests(PostgresServer server) : HttpBasicsTests(server), IClassFixture<PostgresServer>;
