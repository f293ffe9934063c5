using System.Net;
using Prepay.Server.Tests.Fuzz;

namespace Prepay.Server.Tests.Web;

/// <summary>What a page does with a form it has no handler for.</summary>
public sealed class PagePostTests(SqliteFuzzServer server) : IClassFixture<SqliteFuzzServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/console")]
    [InlineData("/console/audit")]
    [InlineData("/console/tariffs/RES-IBT?handler=Nothing")]
    public async Task A_form_posted_to_a_page_without_a_handler_for_it_is_refused_with_405(string path)
    {
        var seeded = await server.SeededAsync();
        var (client, token) = await server.BrowserAsync(seeded.Logins.Admin, "/console");
        using (client)
        {
            using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Contains("GET", response.Content.Headers.Allow);
            // The page itself still serves.
            using var page = await client.GetAsync(path.Split('?')[0], Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        Assert.Empty(server.Logs.Errors);
    }
}
