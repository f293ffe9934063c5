using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Prepay.Testing;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>
/// Three <c>prepay serve</c> processes on one PostgreSQL and one Mosquitto, a fleet of meters and buyers across all
/// three, a person signed in on one node who goes on on the others, and one node killed with SIGKILL mid-run (and
/// started again, as its service manager would). Afterwards nothing the meters and buyers were told was delivered is
/// missing, and nothing is there twice: vends, ledger, credit commands and what the meters applied, readings,
/// events, operator alerts and customers' messages (through a real SMTP server).
/// </summary>
public sealed partial class ThreeNodeTests
{
    private const int Nodes = 3;
    private const int Killed = 1;
    private const int MeterCount = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 600_000)] // bounded: a hang fails here rather than holding the suite (a loaded machine needs minutes to start three nodes)
    public async Task Three_nodes_one_killed_mid_run_lose_and_double_nothing()
    {
        Assert.SkipUnless(Databases.PostgresAvailable, "PostgreSQL not configured: set PREPAY_TEST_POSTGRES (the README's test command does).");
        MosquittoBroker.SkipUnlessAvailable();
        await using var cluster = await ClusterNodes.CreateAsync(Nodes);
        for (var n = 0; n < Nodes; n++)
        {
            await cluster.StartAsync(n);
        }
        ClusterWorld world;
        using (var admin = cluster.Client(0))
        {
            world = await ClusterWorld.CreateAsync(admin, MeterCount);
        }
        await cluster.Broker.AddMetersAsync([.. world.Meters]);
        var meters = new List<BrokerMeter>();
        try
        {
            foreach (var number in world.Meters)
            {
                meters.Add(await NothingLostOrDoubled.ConnectAsync(cluster.Broker, number));
            }

            // Signed in on node 0, the person goes on on node 1.
            var session = await SignInAsync(cluster, 0);
            Assert.Equal(HttpStatusCode.OK, await PersonPageAsync(cluster, 1, session));

            var load = new ClusterLoad(cluster, world, meters);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var running = load.RunAsync(buyers: 4, stop.Token);
            await NothingLostOrDoubled.WaitForAsync(() => load.Vends.Count >= 20, "the first vends answered", 60);
            await cluster.KillAsync(Killed);
            var vendsAtKill = load.Vends.Count;
            // The others go on without it: more vends are answered while it is down, and the person's session holds.
            await NothingLostOrDoubled.WaitForAsync(() => load.Vends.Count >= vendsAtKill + 20, "vends answered with a node down", 60);
            Assert.Equal(HttpStatusCode.OK, await PersonPageAsync(cluster, 2, session));
            await cluster.StartAsync(Killed);
            var vendsAtRestart = load.Vends.Count;
            await NothingLostOrDoubled.WaitForAsync(() => load.Vends.Count >= vendsAtRestart + 20, "vends answered after the restart", 60);
            Assert.Equal(HttpStatusCode.OK, await PersonPageAsync(cluster, Killed, session));
            await stop.CancelAsync();
            await running;

            Assert.Empty(load.Refusals);
            Assert.Contains(load.Vends, v => v.Attempts > 1); // some vend met the dead node and was sent again
            await using var db = new NpgsqlConnection(cluster.ConnectionString);
            await db.OpenAsync(Ct);
            await NothingLostOrDoubled.DrainAsync(db, load);
            TestContext.Current.TestOutputHelper?.WriteLine($"{load.Vends.Count} vends ({load.Vends.Count(v => v.Attempts > 1)} sent again), "
                + $"{load.Readings.Values.Sum(r => r.Count)} readings, {load.Events.Values.Sum(e => e.Count)} events, {cluster.Smtp.Messages().Count} emails");
            await NothingLostOrDoubled.AssertAsync(db, cluster, load, meters);
        }
        catch
        {
            TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", Enumerable.Range(0, Nodes).Select(n => $"--- node {n}\n{cluster.Output(n)}")));
            throw;
        }
        finally
        {
            foreach (var m in meters)
            {
                await m.DisposeAsync();
            }
        }
    }

    /// <summary>Signs the person in on one node (the form and the post both there) and returns the session cookie.</summary>
    private static async Task<string> SignInAsync(ClusterNodes cluster, int node)
    {
        using var client = cluster.Client(node, apiKey: null);
        using var page = await client.GetAsync("/login", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var formCookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = FormToken().Match(await page.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = ClusterNodes.PersonName, ["Password"] = ClusterNodes.PersonPassword, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", formCookie);
        using var signedIn = await client.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return string.Join("; ", signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    /// <summary>A page only a signed-in person sees (anyone else is sent to the sign-in page).</summary>
    private static async Task<HttpStatusCode> PersonPageAsync(ClusterNodes cluster, int node, string session)
    {
        using var client = cluster.Client(node, apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/password");
        request.Headers.Add("Cookie", session);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
