using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Alerts.Channels;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Alerts.Tests;

/// <summary>Webhook URLs may not point into the server's own network (server-side request forgery), on a default server.</summary>
public sealed class WebhookTargetTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("169.254.169.254", true)] // cloud metadata
    [InlineData("172.16.5.4", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("100.64.0.1", true)] // shared address space, RFC 6598
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Addresses_inside_the_network_are_told_from_public_ones(string address, bool inside) =>
        Assert.Equal(inside, WebhookTargets.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://127.0.0.1/hook", "inside this server's network")]
    [InlineData("https://10.0.0.1/hook", "inside this server's network")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "inside this server's network")]
    [InlineData("https://[::1]:8443/hook", "inside this server's network")]
    [InlineData("https://localhost/hook", "inside this server's network")]
    [InlineData("http://203.0.113.10/hook", "must be an https URL")]
    [InlineData("https://user:secret@203.0.113.10/hook", "without user name or password")]
    [InlineData("ftp://203.0.113.10/hook", "must be an https URL")]
    public async Task A_webhook_url_into_the_servers_network_or_not_https_is_refused_and_nothing_is_written(string url, string why)
    {
        using var admin = server.Client();
        var before = await CountAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "topUp" } }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(why, body, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    private async Task<int> CountAsync()
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().WebhookSubscriptions.CountAsync(Ct);
    }
}
