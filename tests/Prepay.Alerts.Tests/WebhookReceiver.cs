using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Prepay.Alerts.Tests;

/// <summary>
/// An integration's endpoint: a small Kestrel app on loopback that records every POST to <c>/hooks/{name}</c>, and
/// answers 500 to the next requests of a name when told to fail them.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedHook> Received { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var fail = false;
            receiver._failures.AddOrUpdate(name, 0, (_, left) =>
            {
                fail = left > 0;
                return Math.Max(0, left - 1);
            });
            receiver.Received.Enqueue(new ReceivedHook(name, request.Headers["webhook-signature"].ToString(), request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(), body, fail ? 500 : 204, [.. request.Headers.Keys]));
            return fail ? Results.StatusCode(500) : Results.NoContent();
        });
        // Somewhere a receiver might send a webhook on to; the server must not follow it.
        app.MapPost("/redirect/{name}", (string name) => Results.Redirect("/hooks/" + name, permanent: false, preserveMethod: true));
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public string UrlFor(string name) => new Uri(BaseAddress, "/hooks/" + name).ToString();

    /// <summary>An address that answers 307 to <see cref="UrlFor"/>.</summary>
    public string RedirectFor(string name) => new Uri(BaseAddress, "/redirect/" + name).ToString();

    /// <summary>The next <paramref name="count"/> requests to <paramref name="name"/> get a 500.</summary>
    public void FailNext(string name, int count) => _failures[name] = count;

    public IReadOnlyList<ReceivedHook> For(string name) => Received.Where(r => r.Name == name).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A delivery as received: the Standard Webhooks headers (<c>webhook-signature</c>, <c>-id</c>, <c>-timestamp</c>), the body, every header's name.</summary>
public sealed record ReceivedHook(string Name, string Signature, string DeliveryId, string Timestamp, string Body, int Answered, IReadOnlyList<string> HeaderNames)
{
    /// <summary>The event's kind, from the body (Standard Webhooks has no header for it).</summary>
    public string Event => System.Text.Json.Nodes.JsonNode.Parse(Body)!["kind"]!.GetValue<string>();
}
