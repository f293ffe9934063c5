using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Statements.Disputes;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Statements.Tests.Disputes;

/// <summary>
/// A customer disputes a line of their statement on the portal; it appears to staff in the console and the API (and to
/// no other role); an operator answers it on the console, once; the customer reads the answer. Every step is audited.
/// </summary>
public abstract class DisputeTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_flagged_line_reaches_operators_who_answer_it_once_and_the_customer_sees_the_answer()
    {
        var meter = await CentralMeter.CreateAsync(server);
        await meter.LiveDayAsync(27);
        using var customer = await Browser.CustomerAsync(server, meter.Scenario.CustomerId);
        var page = $"/portal/meters/{meter.MeterNumber}/statement?from=2027-03-27&to=2027-03-27";
        var token = await Browser.FormTokenAsync(customer, page);
        using var raised = await customer.PostAsync(page + "&handler=Dispute", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["day"] = "2027-03-27", ["line"] = "fixed-charges", ["text"] = "I was charged the service fee twice.", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        Assert.Contains("Waiting for our answer.", await raised.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Staff see it: the API for an operator's key; not a vendor's, an app's or a monitor's, nor anyone unsigned.
        using var operatorKey = await Browser.KeyAsync(server, "operator");
        var open = (await Ok(await operatorKey.GetAsync("/api/v1/disputes", Ct))).AsArray();
        var dispute = Assert.Single(open, d => d!["meterNumber"]!.GetValue<string>() == meter.MeterNumber)!;
        Assert.Equal("fixed-charges", dispute["lineKind"]!.GetValue<string>());
        Assert.Equal("open", dispute["state"]!.GetValue<string>());
        var id = dispute["id"]!.GetValue<Guid>();
        using var vendor = server.Client(meter.Scenario.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/v1/disputes", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync($"/api/v1/disputes/{id}/answer", new { decision = "rejected", answer = "no" }, Ct)).StatusCode);
        using var monitor = await Browser.KeyAsync(server, "monitor");
        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.GetAsync("/api/v1/disputes", Ct)).StatusCode);
        using var nobody = server.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync("/api/v1/disputes", Ct)).StatusCode);
        // A customer signed in to the portal does not open the console.
        Assert.NotEqual(HttpStatusCode.OK, (await customer.GetAsync("/console/disputes", Ct)).StatusCode);

        // An operator answers on the console.
        using var staff = await Browser.OperatorAsync(server);
        var consoleToken = await Browser.FormTokenAsync(staff, "/console/disputes");
        Assert.Contains($"id=\"dispute-{id}\"", await staff.GetStringAsync("/console/disputes", Ct), StringComparison.Ordinal);
        using var answered = await staff.PostAsync("/console/disputes?handler=Answer", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = id.ToString(), ["decision"] = "resolved", ["answer"] = "The fee was taken once; we have explained the line.", ["__RequestVerificationToken"] = consoleToken,
        }), Ct);
        Assert.Contains("Answered (resolved)", await answered.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Once: a second answer, here through the API, finds it answered.
        var again = await operatorKey.PostAsJsonAsync($"/api/v1/disputes/{id}/answer", new { decision = "rejected", answer = "changed my mind" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.DoesNotContain((await Ok(await operatorKey.GetAsync("/api/v1/disputes", Ct))).AsArray(), d => d!["id"]!.GetValue<Guid>() == id);

        // The customer reads the answer.
        var html = await customer.GetStringAsync(page, Ct);
        Assert.Contains("Our answer (resolved): The fee was taken once; we have explained the line.", html, StringComparison.Ordinal);

        await using var scope = server.Scope();
        var audit = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Audit.Where(a => a.Target == $"customer/{meter.Scenario.CustomerId}")
            .Select(a => a.Action).ToListAsync(Ct);
        Assert.Contains(StatementDisputes.RaiseAction, audit);
        Assert.Single(audit, a => a == StatementDisputes.AnswerAction);
    }

    [Fact]
    public async Task Staff_record_a_dispute_for_a_customer_through_the_API_with_its_problems_named()
    {
        var meter = await CentralMeter.CreateAsync(server);
        using var operatorKey = await Browser.KeyAsync(server, "operator");
        var path = $"/api/v1/customers/{meter.Scenario.CustomerId}/statements/disputes";
        var unknownLine = await operatorKey.PostAsJsonAsync(path, new { meterNumber = meter.MeterNumber, day = "2027-03-19", line = "nonsense", text = "x" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownLine.StatusCode);
        var notTheirs = await operatorKey.PostAsJsonAsync(path, new { meterNumber = "0000", day = "2027-03-19", line = "energy", text = "x" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        var created = await operatorKey.PostAsJsonAsync(path, new { meterNumber = meter.MeterNumber, day = "2027-03-19", line = "energy", text = "Called in: the night rate looks wrong." }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("operator:", (await Ok(created))["raisedBy"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class DisputeSqliteTests(StatementSqliteServer server) : DisputeTests(server), IClassFixture<StatementSqliteServer>;

public sealed class DisputePostgresTests(StatementPostgresServer server) : DisputeTests(server), IClassFixture<StatementPostgresServer>;
