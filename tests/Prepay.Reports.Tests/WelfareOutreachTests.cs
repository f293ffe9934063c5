using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Reports.Welfare;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Reports.Tests;

/// <summary>
/// The console's welfare page lists a household out of credit for five days with its evidence; an operator offers help
/// from it, which queues one email to the customer (audited, with who sent it) and no more that day; the API refuses
/// a text too long, an unknown customer and a customer with no way to reach them. A customer is kept off the page.
/// </summary>
public abstract class WelfareOutreachTests(ReportsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_offers_help_from_the_welfare_page_once_a_day_through_the_customer_s_channels()
    {
        var s = await CreateAsync(server, mode: "smart");
        var now = server.Clock.GetCurrentInstant();
        await MeterRecords.EventsAsync(server, [(s.MeterNumber, now - Duration.FromDays(5), "creditExhausted")]);

        using var staff = await Browser.OperatorAsync(server);
        var html = await staff.GetStringAsync("/console/welfare", Ct);
        Assert.Contains($"id=\"signal-{WelfareKinds.OutOfCredit}-{s.MeterNumber}\"", html, StringComparison.Ordinal);
        Assert.Contains("out of credit for 5.0 days with no top-up", html, StringComparison.Ordinal);
        var token = await Browser.FormTokenAsync(staff, "/console/welfare");
        using var sent = await staff.PostAsync("/console/welfare?handler=Outreach", Form(s.CustomerId, token), Ct);
        Assert.Contains("An offer of help is on its way by email.", await sent.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var again = await staff.PostAsync("/console/welfare?handler=Outreach", Form(s.CustomerId, token), Ct);
        Assert.Contains("An offer of help went to this household today already.", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var queued = await db.Notifications.AsNoTracking().Where(n => n.CustomerId == s.CustomerId && n.Kind == WelfareOutreach.Kind).ToListAsync(Ct);
            var mail = Assert.Single(queued);
            Assert.Equal((NotificationChannel.Email, "thandi@example.org", WelfareOutreach.DefaultMessage), (mail.Channel, mail.Recipient, mail.Body));
            var audit = Assert.Single(await db.Audit.AsNoTracking().Where(a => a.Action == WelfareOutreach.AuditAction && a.Target == $"customer/{s.CustomerId}").ToListAsync(Ct));
            Assert.StartsWith("operator:person/", audit.Actor, StringComparison.Ordinal);
        }

        using var admin = server.Client();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/welfare/outreach", new { customerId = s.CustomerId }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/welfare/outreach", new { customerId = s.CustomerId, message = new string('x', 601) }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/welfare/outreach", new { customerId = Guid.NewGuid() }, Ct)).StatusCode);
        var unreachable = await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name = "No Phone " + s.Suffix }, Ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostAsJsonAsync("/api/v1/welfare/outreach", new { customerId = unreachable["id"] }, Ct)).StatusCode);
        var other = await CreateAsync(server);
        var accepted = await admin.PostAsJsonAsync("/api/v1/welfare/outreach", new { customerId = other.CustomerId, message = "Please call us about your account." }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var customer = await Browser.CustomerAsync(server, s.CustomerId);
        Assert.NotEqual(HttpStatusCode.OK, (await customer.GetAsync("/console/welfare", Ct)).StatusCode);

        static FormUrlEncodedContent Form(Guid customerId, string token) => new(new Dictionary<string, string>
        {
            ["customerId"] = customerId.ToString(), ["__RequestVerificationToken"] = token,
        });
    }
}

public sealed class WelfareOutreachSqliteTests(ReportsSqliteServer server) : WelfareOutreachTests(server), IClassFixture<ReportsSqliteServer>;

public sealed class WelfareOutreachPostgresTests(ReportsPostgresServer server) : WelfareOutreachTests(server), IClassFixture<ReportsPostgresServer>;
