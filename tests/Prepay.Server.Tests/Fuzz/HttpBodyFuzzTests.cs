using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage;
using Prepay.Testing;
using Prepay.Testing.Fuzz;

namespace Prepay.Server.Tests.Fuzz;

/// <summary>
/// Seeded random and mutated bodies on every endpoint that takes one, found in the server's own endpoint table (API
/// routes for POST, PUT and PATCH, and every page's POST handlers), sent with the right credentials (an API key the
/// endpoint admits; a signed-in person of the page's role and a valid antiforgery token). An API answers a refusal
/// with problem details and never 5xx; a page never 5xx; a refusal writes no row in any table; nothing is logged at
/// error level; the server answers to the end.
/// </summary>
public abstract class HttpBodyFuzzTests(FuzzServer server)
{
    private const string Project = "tests/Prepay.Server.Tests";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Random_bodies_on_every_api_write_endpoint_are_refused_with_problem_details_and_write_nothing()
    {
        server.SkipUnlessAvailable();
        var seeded = await server.SeededAsync();
        var run = FuzzRun.FromEnvironment(defaultCount: 4);
        var endpoints = Endpoints().Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH") == true)
            .OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal).ToList();
        Assert.True(endpoints.Count >= 30, $"only {endpoints.Count} API write endpoints found");
        var counts = await CountRowsAsync();
        var mark = server.Logs.Mark();
        foreach (var endpoint in endpoints)
        {
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.First(m => m is "POST" or "PUT" or "PATCH");
            var key = await KeyAdmittedAsync(endpoint, method, seeded);
            for (var c = 0; c < run.Count; c++)
            {
                var rng = CaseRandom(run, c, method + " " + endpoint.RoutePattern.RawText);
                var path = RequestShapes.Path(endpoint.RoutePattern, rng, seeded.Values);
                var template = RequestShapes.Body(endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, endpoint, rng, seeded.Values);
                var (body, contentType, description) = ApiBody(rng, template);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
                if (contentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }
                if (rng.Next(5) != 0)
                {
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", rng.Next(8) == 0 ? new string('k', 5000) : "fuzz-" + Guid.NewGuid());
                }
                using var client = server.Client(key);
                using var response = await client.SendAsync(request, Ct);
                var answer = await response.Content.ReadAsStringAsync(Ct);
                var why = $"case {c}: {method} {path} ({description}) {new Mutant("", body).Preview(300)}{Environment.NewLine}answered {(int)response.StatusCode}: {answer[..Math.Min(answer.Length, 600)]}{Environment.NewLine}{Replay(run, c)}";
                Check((int)response.StatusCode < 500, "a server error: " + why);
                CheckNoErrors(ref mark, why);
                if (!response.IsSuccessStatusCode)
                {
                    Check(response.Content.Headers.ContentType?.MediaType == "application/problem+json", "a refusal without problem details: " + why);
                    // A payment callback that cannot be verified is audited on purpose (ARCHITECTURE: a payment, end to end).
                    await CheckNothingWrittenAsync(counts, why, endpoint.RoutePattern.RawText!.Contains("callbacks", StringComparison.Ordinal) ? ["audit"] : null);
                }
                counts = await CountRowsAsync();
            }
        }
        await AssertStillServingAsync();
        AssertNoFailures();
    }

    [Fact]
    public async Task Random_forms_on_every_page_handler_never_fail_and_write_nothing_when_refused()
    {
        server.SkipUnlessAvailable();
        var seeded = await server.SeededAsync();
        var run = FuzzRun.FromEnvironment(defaultCount: 4);
        var loader = server.Services.GetRequiredService<PageLoader>();
        var handlers = new List<(RouteEndpoint Endpoint, string? Handler, List<(string Field, Type Type)> Fields)>();
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null))
        {
            var page = await loader.LoadAsync(endpoint.Metadata.GetMetadata<PageActionDescriptor>()!, endpoint.Metadata);
            var bound = page.BoundProperties.SelectMany(p => RequestShapes.FormFields(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType)).ToList();
            var posts = page.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var handler in posts)
            {
                var parameters = handler.Parameters.Where(p => p.ParameterType != typeof(CancellationToken)).SelectMany(p => RequestShapes.FormFields(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType));
                handlers.Add((endpoint, handler.Name, [.. bound, .. parameters]));
            }
            if (posts.Count == 0)
            {
                // Every page takes a POST: one without a handler for it must refuse it, not render itself half-made.
                handlers.Add((endpoint, null, bound));
            }
        }
        Assert.True(handlers.Count >= 50, $"only {handlers.Count} page POST handlers and pages found");
        var browsers = new Dictionary<string, (HttpClient Client, string Token)>(StringComparer.Ordinal);
        try
        {
            browsers["anonymous"] = await server.BrowserAsync(null, "/login");
            browsers["admin"] = await server.BrowserAsync(seeded.Logins.Admin, "/console");
            browsers["clerk"] = await server.BrowserAsync(seeded.Logins.Clerk, "/pos");
            browsers["customer"] = await server.BrowserAsync(seeded.Logins.Customer, "/portal");
            var counts = await CountRowsAsync();
            var mark = server.Logs.Mark();
            foreach (var (endpoint, handler, fields) in handlers.OrderBy(h => h.Endpoint.RoutePattern.RawText, StringComparer.Ordinal).ThenBy(h => h.Handler, StringComparer.Ordinal))
            {
                var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
                var role = route switch
                {
                    _ when route.StartsWith("/console", StringComparison.Ordinal) || route.StartsWith("/meters", StringComparison.Ordinal) => "admin",
                    _ when route.StartsWith("/pos", StringComparison.Ordinal) => "clerk",
                    _ when route.StartsWith("/portal", StringComparison.Ordinal) || route.StartsWith("/account", StringComparison.Ordinal) => "customer",
                    _ => "anonymous",
                };
                var (client, token) = browsers[role];
                for (var c = 0; c < run.Count; c++)
                {
                    var rng = CaseRandom(run, c, route + "?handler=" + handler);
                    var path = RequestShapes.Path(endpoint.RoutePattern, rng, seeded.Values) + (handler is null ? "" : "?handler=" + handler);
                    var (body, contentType, description) = FormBody(rng, fields, token, seeded.Values);
                    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                    using var response = await client.SendAsync(request, Ct);
                    var answer = await response.Content.ReadAsStringAsync(Ct);
                    var why = $"case {c}: POST {path} as {role} ({description}) {new Mutant("", body).Preview(300)}{Environment.NewLine}answered {(int)response.StatusCode}: {answer[..Math.Min(answer.Length, 300)]}{Environment.NewLine}{Replay(run, c)}";
                    Check((int)response.StatusCode < 500, "a server error: " + why);
                    CheckNoErrors(ref mark, why);
                    // A page answers a refused form with itself (200) and a done one with a redirect, but some show what
                    // they did on the page itself (a lookup, saved settings, audited): so a 200 may write, but never
                    // money; a 4xx writes nothing at all.
                    var status = (int)response.StatusCode;
                    if (status >= 400)
                    {
                        await CheckNothingWrittenAsync(counts, why);
                    }
                    else if (status < 300)
                    {
                        await CheckNothingWrittenAsync(counts, why, only: MoneyTables);
                    }
                    counts = await CountRowsAsync();
                }
            }
        }
        finally
        {
            foreach (var (client, _) in browsers.Values)
            {
                client.Dispose();
            }
        }
        await AssertStillServingAsync();
        AssertNoFailures();
    }

    // Every case runs and every failure is reported together, so that one run shows all there is to fix.
    private readonly List<string> _failures = [];

    private void Check(bool condition, string failure)
    {
        if (!condition)
        {
            _failures.Add(failure);
        }
    }

    private void CheckNoErrors(ref int mark, string why)
    {
        var errors = server.Logs.ErrorsSince(mark);
        mark += errors.Count;
        Check(errors.Count == 0, $"the server logged {errors.Count} error(s): {string.Join(Environment.NewLine, errors)}{Environment.NewLine}{why}");
    }

    private void AssertNoFailures() =>
        Assert.True(_failures.Count == 0, $"{_failures.Count} failure(s):{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, _failures.Take(12))}");

    private IEnumerable<RouteEndpoint> Endpoints() =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    /// <summary>The demo's admin key, or the vendor's where only sellers may call.</summary>
    private async Task<string> KeyAdmittedAsync(RouteEndpoint endpoint, string method, FuzzServer.Seeded seeded)
    {
        var path = RequestShapes.Path(endpoint.RoutePattern, new Random(0), seeded.Values);
        foreach (var key in new[] { ServerFixture.AdminKey, seeded.Keys.Vendor })
        {
            using var client = server.Client(key);
            using var probe = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("null", Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(probe, Ct);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                return key;
            }
        }
        return ServerFixture.AdminKey;
    }

    private static (byte[] Body, string? ContentType, string Description) ApiBody(Random rng, System.Text.Json.Nodes.JsonNode template)
    {
        switch (rng.Next(10))
        {
            case 0:
                var junk = new byte[rng.Next(300)];
                rng.NextBytes(junk);
                return (junk, "application/json", $"{junk.Length} random bytes");
            case 1:
                return (Encoding.UTF8.GetBytes(template.ToJsonString()), rng.Next(3) switch { 0 => "text/plain", 1 => "application/x-www-form-urlencoded", _ => null }, "the template under another content type");
            case 2:
                return (Encoding.UTF8.GetBytes(template.ToJsonString()), "application/json; charset=utf-16", "the template under a wrong charset");
            default:
                var mutant = JsonMutations.Mutate(rng, template);
                return (mutant.Bytes, "application/json", mutant.Description);
        }
    }

    private static (byte[] Body, string ContentType, string Description) FormBody(Random rng, List<(string Field, Type Type)> fields, string token, IReadOnlyDictionary<string, string[]> values)
    {
        var pairs = fields.Where(_ => rng.Next(6) != 0).Select(f => (f.Field, Value: RequestShapes.FormValue(f.Field, f.Type, rng, values))).ToList();
        var what = "fields";
        if (rng.Next(5) == 0 && pairs.Count > 0)
        {
            var twin = pairs[rng.Next(pairs.Count)];
            pairs.Add((twin.Field, RequestShapes.Hostile(rng)));
            what = $"{twin.Field} twice";
        }
        if (rng.Next(10) == 0)
        {
            pairs.Add(("Unexpected.Field[0]", RequestShapes.Hostile(rng)));
            what += ", an unknown field";
        }
        if (rng.Next(12) != 0)
        {
            pairs.Add(("__RequestVerificationToken", token));
        }
        else
        {
            what += ", no antiforgery token";
        }
        var text = string.Join('&', pairs.Select(p => WebUtility.UrlEncode(p.Field) + "=" + WebUtility.UrlEncode(p.Value)));
        switch (rng.Next(10))
        {
            case 0:
                var junk = new byte[rng.Next(300)];
                rng.NextBytes(junk);
                return ([.. Encoding.UTF8.GetBytes(text), .. junk], "application/x-www-form-urlencoded", what + ", random bytes after");
            case 1:
                return (Encoding.UTF8.GetBytes(text.Replace("=", "=%FF%00%C3", StringComparison.Ordinal)), "application/x-www-form-urlencoded", what + ", invalid UTF-8 escapes");
            case 2:
                return (Encoding.UTF8.GetBytes(text), rng.Next(2) == 0 ? "application/json" : "multipart/form-data; boundary=x", what + " under another content type");
            default:
                return (Encoding.UTF8.GetBytes(text), "application/x-www-form-urlencoded", what);
        }
    }

    /// <summary>Rows in every table of the schema, by table.</summary>
    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var tables = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(Ct);
        await using DbCommand command = connection.CreateCommand();
#pragma warning disable CA2100 // Table names from the model, not from input.
        command.CommandText = "SELECT " + string.Join(", ", tables.Select(t => $"(SELECT COUNT(*) FROM \"{t}\")"));
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return tables.Select((t, k) => (t, Convert.ToInt64(reader.GetValue(k), System.Globalization.CultureInfo.InvariantCulture))).ToDictionary(p => p.t, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>Where money moves or is promised: postings, sales, reversals, tokens issued, payments, commands to meters.</summary>
    private static readonly string[] MoneyTables =
        ["ledger_postings", "ledger_transactions", "accounts", "vends", "vend_reversals", "idempotency_claims", "management_tokens", "payment_sessions", "payment_callbacks", "payment_refunds", "meter_commands"];

    private static Random CaseRandom(FuzzRun run, int c, string endpoint)
    {
        // FNV-1a: string.GetHashCode differs from run to run, and a case must be the same on every machine.
        var hash = 2166136261u;
        foreach (var ch in endpoint)
        {
            hash = unchecked((hash ^ ch) * 16777619u);
        }
        return new Random(unchecked(run.CaseSeed(c) ^ (int)hash));
    }

    private string Replay(FuzzRun run, int c) =>
        $"replay it: {run.ReplayCommand(c, Project, GetType().Name)} (case {c} of every endpoint; the whole run: {run.ReplayCommand(Project, GetType().Name)})";

    private async Task CheckNothingWrittenAsync(Dictionary<string, long> before, string why, string[]? allowed = null, string[]? only = null)
    {
        var after = await CountRowsAsync();
        var changed = after.Where(a => a.Value != before.GetValueOrDefault(a.Key) && allowed?.Contains(a.Key) != true && (only is null || only.Contains(a.Key))).Select(a => $"{a.Key} {before.GetValueOrDefault(a.Key)} → {a.Value}").ToList();
        Check(changed.Count == 0, $"a refused request wrote rows ({string.Join(", ", changed)}): {why}");
    }

    private async Task AssertStillServingAsync()
    {
        using var admin = server.Client();
        using var response = await admin.GetAsync("/api/v1/vendors", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class HttpBodyFuzzSqliteTests(SqliteFuzzServer server) : HttpBodyFuzzTests(server), IClassFixture<SqliteFuzzServer>;

public sealed class HttpBodyFuzzPostgresTests(PostgresFuzzServer server) : HttpBodyFuzzTests(server), IClassFixture<PostgresFuzzServer>;
