using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Prepay.Storage.Records;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Catalog;

/// <summary>
/// Reads that reveal a token (a reprint, a list of vends or management tokens, a receipt sent by email, the
/// receipts staff read back) leave an audit record naming who and which vend or meter; changes of a customer's
/// contact details and alert addresses are audited with the values before and after; run once per database provider.
/// </summary>
public abstract class AuditedReadsTests(ServerFixture server)
{
    /// <summary>Token reads of <paramref name="target"/> by people and keys; the receipts the alerts module sends are <see cref="ReceiptsSentAsync"/>.</summary>
    private Task<List<AuditRecord>> TokenReadsAsync(string target) =>
        InDb(server, db => db.Audit.AsNoTracking().Where(a => a.Action == AuditActions.TokenRead && a.Target == target && a.Actor != Alerts).OrderBy(a => a.Id).ToListAsync(Ct));

    private Task<List<AuditRecord>> ReceiptsSentAsync(string target) =>
        InDb(server, db => db.Audit.AsNoTracking().Where(a => a.Action == AuditActions.TokenRead && a.Target == target && a.Actor == Alerts).OrderBy(a => a.Id).ToListAsync(Ct));

    private const string Alerts = "system:alerts";

    [Fact]
    public async Task A_reprint_and_a_list_with_tokens_are_audited_with_who_and_which_vend_or_meter()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        var vendId = vend["id"]!.GetValue<Guid>();
        Assert.Empty(await TokenReadsAsync($"vend/{vendId}"));

        var reprint = await Ok(await vendor.GetAsync($"/api/v1/vends/{vendId}", Ct));
        Assert.Equal(vend["token"]!.GetValue<string>(), reprint["token"]!.GetValue<string>());
        var read = Assert.Single(await TokenReadsAsync($"vend/{vendId}"));
        Assert.Equal($"vendor:till-{s.Suffix}", read.Actor);
        Assert.Equal($"reprint: meter {s.MeterNumber}", read.Details);

        var second = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "30.00", currency = "ZAR" }), Ct));
        var listed = (await Ok(await vendor.GetAsync($"/api/v1/vends?meterNumber={s.MeterNumber}", Ct))).AsArray();
        Assert.Equal(2, listed.Count);
        var list = Assert.Single(await TokenReadsAsync($"meter/{s.MeterNumber}"));
        Assert.Equal($"vendor:till-{s.Suffix}", list.Actor);
        Assert.Contains(vendId.ToString(), list.Details, StringComparison.Ordinal);
        Assert.Contains(second["id"]!.GetValue<string>(), list.Details, StringComparison.Ordinal);

        // Someone else's vend is not found and so not read: nothing audited.
        await Problem(HttpStatusCode.NotFound, await vendor.GetAsync($"/api/v1/vends/{Guid.NewGuid()}", Ct));

        // Operators' management tokens, listed.
        using var admin = server.Client();
        using var issue = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/meters/{s.MeterNumber}/tokens") { Content = JsonContent.Create(new { kind = "clearTamper", reason = "Seal replaced" }) };
        issue.Headers.Add("Idempotency-Key", "tamper-" + s.Suffix);
        await Ok(await admin.SendAsync(issue, Ct));
        await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/tokens", Ct));
        var reads = await TokenReadsAsync($"meter/{s.MeterNumber}");
        Assert.Equal(2, reads.Count);
        Assert.Equal(("admin:bootstrap-admin", "management tokens: 1"), (reads[1].Actor, reads[1].Details));
    }

    [Fact]
    public async Task A_smart_meters_vend_has_no_token_and_its_reprint_is_no_token_read()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        Assert.Null(vend["token"]);
        await Ok(await vendor.GetAsync($"/api/v1/vends/{vend["id"]!.GetValue<string>()}", Ct));
        Assert.Empty(await TokenReadsAsync($"vend/{vend["id"]!.GetValue<string>()}"));
    }

    [Fact]
    public async Task An_emailed_receipt_with_a_token_and_staff_reading_it_back_are_audited()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var email = $"r{s.Suffix}@example.org";
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences",
            new { preferences = new object[] { new { channel = "email", enabled = true, address = email } } }, Ct));
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        var vendId = vend["id"]!.GetValue<Guid>();

        var queued = Assert.Single(await ReceiptsSentAsync($"vend/{vendId}"));
        Assert.Equal($"top-up receipt by email to {email}: meter {s.MeterNumber}", queued.Details);

        var notifications = (await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/notifications", Ct))).AsArray();
        Assert.Contains(notifications, n => n!["kind"]!.GetValue<string>() == "topUp");
        var readBack = Assert.Single(await TokenReadsAsync($"customer/{s.CustomerId}"));
        Assert.Equal("admin:bootstrap-admin", readBack.Actor);
        Assert.Contains(vendId.ToString("N"), readBack.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contact_details_and_alert_addresses_are_audited_with_their_old_and_new_values()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var name = $"Thandi Nkosi {s.Suffix}";
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}", new { name, phone = "+27 82 555 0199", email = "thandi.new@example.org" }, Ct));
        var contact = await InDb(server, db => db.Audit.AsNoTracking().Where(a => a.Action == "customer.update" && a.Target == $"customer/{s.CustomerId}").SingleAsync(Ct));
        Assert.Equal($"name={name} phone=+27 82 555 0100 email=thandi@example.org indigent=False protected=False -> "
            + $"name={name} phone=+27 82 555 0199 email=thandi.new@example.org indigent=False protected=False", contact.Details);

        var path = $"/api/v1/customers/{s.CustomerId}/notification-preferences";
        await Ok(await admin.PutAsJsonAsync(path, new { preferences = new object[] { new { channel = "email", enabled = true, address = "first@example.org" } } }, Ct));
        await Ok(await admin.PutAsJsonAsync(path, new { preferences = new object[]
        {
            new { channel = "email", enabled = true, address = "second@example.org" },
            new { channel = "sms", enabled = true, address = "+27 82 555 0123", lowCreditThresholdMinor = 2000 },
        } }, Ct));
        var changes = await InDb(server, db => db.Audit.AsNoTracking().Where(a => a.Action == "notification-preferences.update" && a.Target == $"customer/{s.CustomerId}")
            .OrderBy(a => a.Id).Select(a => a.Details).ToListAsync(Ct));
        Assert.Equal(["(none) -> email=on first@example.org", "email=on first@example.org -> email=on second@example.org; sms=on +27 82 555 0123 low<2000"], changes);
    }
}

public sealed class AuditedReadsSqliteTests(SqliteServer server) : AuditedReadsTests(server), IClassFixture<SqliteServer>;

public sealed class AuditedReadsPostgresTests(PostgresServer server) : AuditedReadsTests(server), IClassFixture<PostgresServer>;
