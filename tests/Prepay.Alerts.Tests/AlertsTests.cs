using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using NodaTime;
using Prepay.Alerts.Dispatch;
using Prepay.Alerts.Producers;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Alerts.Tests;

/// <summary>
/// Customer alerts end to end: a meter speaking MQTT or a vend over HTTP, the outbox, and delivery to a real SMTP
/// server and a real webhook receiver on loopback; run once per database provider.
/// </summary>
public abstract class AlertsTests(AlertsServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(50);
        }
    }

    private static async Task<MeterPeer> ConnectedMeterAsync(ServerFixture on, string meterNumber)
    {
        var headEnd = on.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10));
        var peer = new MeterPeer(meterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await peer.ConnectAsync(headEnd.BrokerPort, on.Services.GetRequiredService<MeterCredentials>().PasswordFor(meterNumber)));
        return peer;
    }

    private static async Task<List<NotificationRecord>> NotificationsAsync(ServerFixture on, Guid customerId)
    {
        await using var scope = on.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.Notifications.AsNoTracking().Where(n => n.CustomerId == customerId).ToListAsync();
    }

    private List<ReceivedMail> MailFor(IEnumerable<Guid> ids)
    {
        var wanted = ids.Select(id => $"<{id:N}@prepay>").ToHashSet(StringComparer.Ordinal);
        return server.Smtp.Messages().Where(m => wanted.Contains(m.Header("Message-ID"))).ToList();
    }

    private static async Task SetEmailAsync(HttpClient admin, Guid customerId, string email) =>
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{customerId}/notification-preferences",
            new { preferences = new object[] { new { channel = "email", enabled = true, address = email }, new { channel = "sms", enabled = false } } }));

    private async Task<(Guid Id, string Secret)> SubscribeAsync(HttpClient admin, string name, params string[] events)
    {
        var created = await Ok(await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = server.Hooks.UrlFor(name), events, description = "test " + name }));
        return (created["id"]!.GetValue<Guid>(), created["secret"]!.GetValue<string>());
    }

    /// <summary>
    /// Checks the Standard Webhooks signatures as a receiver would, independently of the server's code: one
    /// <c>v1,</c> signature per secret, in order, of "{webhook-id}.{webhook-timestamp}.{body}" under the key the
    /// <c>whsec_</c> secret's base64 stands for; and none of the headers the server sent before the standard.
    /// </summary>
    private static void AssertSigned(ReceivedHook hook, params string[] secrets)
    {
        var signed = Encoding.UTF8.GetBytes($"{hook.DeliveryId}.{hook.Timestamp}.{hook.Body}");
        var expected = secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), signed)));
        Assert.Equal(string.Join(' ', expected), hook.Signature);
        Assert.True(long.Parse(hook.Timestamp, CultureInfo.InvariantCulture) > 1_700_000_000);
        Assert.DoesNotContain(hook.HeaderNames, h => h.StartsWith("Prepay-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_webhook_that_answers_with_a_redirect_is_not_followed()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var name = "redirect-" + s.Suffix;
        var created = await Ok(await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = server.Hooks.RedirectFor(name), events = new[] { "topUp" } }, Ct));
        var hookId = created["id"]!.GetValue<Guid>();
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));

        // The attempt is logged once the receiver has answered: by then a followed redirect would have arrived.
        var delivery = (await EventuallyAsync(async () => (await Ok(await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries", Ct))).AsArray(), d => d.Count >= 1))[0]!;
        Assert.Equal((307, false), (delivery["statusCode"]!.GetValue<int>(), delivery["succeeded"]!.GetValue<bool>()));
        Assert.Empty(server.Hooks.For(name));
    }

    [Fact]
    public async Task Meter_events_reach_the_customer_by_email_once_even_when_resent_and_faults_become_operator_alerts()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var email = $"c{s.Suffix}@example.org";
        await SetEmailAsync(admin, s.CustomerId, email);
        var hookName = "events-" + s.Suffix;
        var (hookId, secret) = await SubscribeAsync(admin, hookName, "disconnected", "reconnected");
        await using var meter = await ConnectedMeterAsync(server, s.MeterNumber);
        var events = new EventsMessage([
            new EventPayload(T0, "lowCredit", "credit 4.0 kWh"),
            new EventPayload(T0.AddHours(5), "creditExhausted", null),
            new EventPayload(T0.AddHours(5), "relayOpened", "credit"),
            new EventPayload(T0.AddHours(6), "relayClosed", null),
            new EventPayload(T0.AddHours(1), "overVoltage", "2650 dV"),
            new EventPayload(T0.AddHours(2), "coverOpen", null),
            new EventPayload(T0.AddHours(3), "tokenAccepted", null),
        ]);
        await meter.PublishAsync(Topics.Events, events);
        // The meter did not hear the acknowledgement and sends it all again.
        await meter.PublishAsync(Topics.Events, events);

        var sent = await EventuallyAsync(() => NotificationsAsync(server, s.CustomerId), n => n.Count == 4 && n.All(x => x.State == NotificationState.Sent));
        Assert.Equal(["creditExhausted", "disconnected", "lowCredit", "reconnected"], sent.Select(n => n.Kind).Order(StringComparer.Ordinal));
        Assert.All(sent, n => Assert.Equal((NotificationChannel.Email, email, 1), (n.Channel, n.Recipient, n.Attempts)));
        var mail = await EventuallyAsync(() => Task.FromResult(MailFor(sent.Select(n => n.Id))), m => m.Count >= 4);
        Assert.Equal(4, mail.Count);
        Assert.All(mail, m => Assert.Contains(email, m.Header("To"), StringComparison.Ordinal));
        Assert.Contains(mail, m => m.Header("Subject") == "Your electricity credit is low" && m.Body.Contains(s.MeterNumber, StringComparison.Ordinal));

        // A later round sends nothing more, and a third copy of the events queues nothing.
        await meter.PublishAsync(Topics.Events, events);
        await Task.Delay(500, Ct);
        await server.Services.GetRequiredService<AlertDispatcher>().DispatchOnceAsync(Ct);
        Assert.Equal(4, (await NotificationsAsync(server, s.CustomerId)).Count);
        Assert.Equal(4, MailFor(sent.Select(n => n.Id)).Count);

        // The smart-home integration heard of the disconnection and the reconnection, once each.
        var hooks = await EventuallyAsync(() => Task.FromResult(server.Hooks.For(hookName)), h => h.Count >= 2);
        Assert.Equal(["disconnected", "reconnected"], hooks.Select(h => h.Event).Order(StringComparer.Ordinal));
        Assert.All(hooks, h => AssertSigned(h, secret));
        Assert.Equal(s.MeterNumber, JsonNode.Parse(hooks[0].Body)!["data"]!["meterNumber"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{hookId}", Ct)).StatusCode);

        var alerts = (await Ok(await admin.GetAsync($"/api/v1/alerts?meter={s.MeterNumber}", Ct))).AsArray();
        Assert.Equal(["coverOpen", "overVoltage"], alerts.Select(a => a!["type"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var voltage = (await Ok(await admin.GetAsync($"/api/v1/alerts?meter={s.MeterNumber}&type=overVoltage", Ct))).AsArray().Single()!;
        Assert.Equal("2650 dV", voltage["details"]!.GetValue<string>());
        var id = voltage["id"]!.GetValue<long>();
        var acknowledged = await Ok(await admin.PostAsync($"/api/v1/alerts/{id}/acknowledge", null, Ct));
        Assert.NotNull(acknowledged["acknowledgedAt"]);
        var again = await admin.PostAsync($"/api/v1/alerts/{id}/acknowledge", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("urn:prepay:problem:already-acknowledged", (await Json(again))["type"]!.GetValue<string>());
        var open = (await Ok(await admin.GetAsync($"/api/v1/alerts?meter={s.MeterNumber}&open=true", Ct))).AsArray();
        Assert.Equal("coverOpen", open.Single()!["type"]!.GetValue<string>());
        // Two operators take the tamper alert in hand at once: one does, the other is told so; one audit entry.
        var tamper = open.Single()!["id"]!.GetValue<long>();
        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.PostAsync($"/api/v1/alerts/{tamper}/acknowledge", null, Ct)));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/alerts/999999999/acknowledge", null, Ct)).StatusCode);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "alert.acknowledge" && a.Target == $"alert/{id}", Ct));
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "alert.acknowledge" && a.Target == $"alert/{tamper}", Ct));
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "notification-preferences.update" && a.Target == $"customer/{s.CustomerId}", Ct));
    }

    [Fact]
    public async Task A_top_up_receipt_is_emailed_and_posted_to_a_signed_webhook_exactly_once()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var email = $"r{s.Suffix}@example.org";
        await SetEmailAsync(admin, s.CustomerId, email);
        var hookName = "receipts-" + s.Suffix;
        var (hookId, secret) = await SubscribeAsync(admin, hookName, "topUp");
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "50.00", currency = "ZAR" }, "receipt-" + s.Suffix), Ct));
        // A retry of the same vend is the same vend: no second receipt.
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "50.00", currency = "ZAR" }, "receipt-" + s.Suffix), Ct));

        var hooks = await EventuallyAsync(() => Task.FromResult(server.Hooks.For(hookName)), h => h.Count >= 1);
        var hook = Assert.Single(hooks);
        AssertSigned(hook, secret);
        Assert.Equal("topUp", hook.Event);
        var body = JsonNode.Parse(hook.Body)!;
        Assert.Equal(hook.DeliveryId, body["id"]!.GetValue<string>());
        Assert.Equal(vend["id"]!.GetValue<string>(), body["data"]!["vendId"]!.GetValue<string>());
        Assert.Equal("50.00", body["data"]!["amount"]!.GetValue<string>());
        Assert.Null(body["data"]!["token"]);

        var mine = await EventuallyAsync(() => NotificationsAsync(server, s.CustomerId), n => n.Count == 1 && n[0].State == NotificationState.Sent);
        var receipt = Assert.Single(mine);
        Assert.Equal(("topUp", email), (receipt.Kind, receipt.Recipient));
        var mail = Assert.Single(await EventuallyAsync(() => Task.FromResult(MailFor([receipt.Id])), m => m.Count >= 1));
        Assert.Contains(vend["receipt"]!["receiptNumber"]!.GetValue<string>(), mail.Header("Subject"), StringComparison.Ordinal);
        var token = vend["token"]!.GetValue<string>();
        Assert.Contains(string.Join(' ', Enumerable.Range(0, 5).Select(i => token.Substring(i * 4, 4))), mail.Body, StringComparison.Ordinal);
        Assert.Equal(receipt.Id.ToString(), mail.Header("Prepay-Delivery-Id"));

        // The log is written after the receiver answers.
        var deliveries = await EventuallyAsync(async () => (await Ok(await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries", Ct))).AsArray(), d => d.Count >= 1);
        var delivery = Assert.Single(deliveries)!;
        Assert.Equal((204, true, 1), (delivery["statusCode"]!.GetValue<int>(), delivery["succeeded"]!.GetValue<bool>(), delivery["attempt"]!.GetValue<int>()));
        var listed = (await Ok(await admin.GetAsync("/api/v1/webhooks", Ct))).AsArray().Single(w => w!["id"]!.GetValue<Guid>() == hookId)!;
        Assert.Null(listed["secret"]);
        Assert.DoesNotContain(secret, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{hookId}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_rotated_webhook_secret_signs_beside_the_new_one_until_its_overlap_ends()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var hookName = "rotate-" + s.Suffix;
        var (hookId, old) = await SubscribeAsync(admin, hookName, "topUp");
        Assert.StartsWith("whsec_", old, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(old["whsec_".Length..]).Length);

        var rotated = await Ok(await admin.PostAsync($"/api/v1/webhooks/{hookId}/secret", null, Ct));
        var fresh = rotated["secret"]!.GetValue<string>();
        Assert.NotEqual(old, fresh);
        Assert.Equal(server.Clock.GetCurrentInstant() + Duration.FromMinutes(10), NodaTime.Text.InstantPattern.ExtendedIso.Parse(rotated["previousSecretUntil"]!.GetValue<string>()).Value);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/webhooks/{Guid.NewGuid()}/secret", null, Ct)).StatusCode);

        // During the overlap: the new secret's signature first, then the old one's; either verifies, a wrong one does not.
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        var during = Assert.Single(await EventuallyAsync(() => Task.FromResult(server.Hooks.For(hookName)), h => h.Count >= 1));
        AssertSigned(during, fresh, old);
        Assert.Equal(2, during.Signature.Split(' ').Length);
        foreach (var secret in new[] { fresh, old })
        {
            Assert.True(Prepay.Alerts.Channels.WebhookSignature.Verify(secret, during.DeliveryId, during.Timestamp, during.Body, during.Signature));
        }
        Assert.False(Prepay.Alerts.Channels.WebhookSignature.Verify(Prepay.Alerts.Channels.WebhookSignature.NewSecret(), during.DeliveryId, during.Timestamp, during.Body, during.Signature));
        Assert.False(Prepay.Alerts.Channels.WebhookSignature.Verify(fresh, during.DeliveryId, during.Timestamp, during.Body + " ", during.Signature));

        // After it: the new secret alone.
        server.Clock.Advance(Duration.FromMinutes(11));
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "30.00", currency = "ZAR" }), Ct));
        var hooks = await EventuallyAsync(() => Task.FromResult(server.Hooks.For(hookName)), h => h.Count >= 2);
        AssertSigned(hooks[1], fresh);
        Assert.False(Prepay.Alerts.Channels.WebhookSignature.Verify(old, hooks[1].DeliveryId, hooks[1].Timestamp, hooks[1].Body, hooks[1].Signature));

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var audit = await db.Audit.AsNoTracking().SingleAsync(a => a.Action == "webhook.secret.rotate" && a.Target == $"webhook/{hookId}", Ct);
        Assert.DoesNotContain(fresh, audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(old, audit.Details, StringComparison.Ordinal);
        await Ok(await admin.DeleteAsync($"/api/v1/webhooks/{hookId}", Ct));
    }

    [Fact]
    public async Task A_webhook_that_fails_once_gets_the_delivery_on_the_retry_and_the_log_shows_both_attempts()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var hookName = "flaky-" + s.Suffix;
        var (hookId, secret) = await SubscribeAsync(admin, hookName, "topUp");
        server.Hooks.FailNext(hookName, 1);
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));

        var first = await EventuallyAsync(async () => (await Ok(await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries", Ct))).AsArray(), d => d.Count >= 1);
        Assert.Equal((500, false), (first.Single()!["statusCode"]!.GetValue<int>(), first.Single()!["succeeded"]!.GetValue<bool>()));
        // Not before its back-off: the next attempt waits for the (fake) clock.
        await server.Services.GetRequiredService<AlertDispatcher>().DispatchOnceAsync(Ct);
        Assert.Single(server.Hooks.For(hookName));

        server.Clock.Advance(Duration.FromMinutes(1));
        server.Services.GetRequiredService<AlertDispatcher>().Wake();
        var log = await EventuallyAsync(async () => (await Ok(await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries", Ct))).AsArray(), d => d.Count >= 2);
        Assert.Equal([(2, 204, true), (1, 500, false)],
            log.Select(d => (d!["attempt"]!.GetValue<int>(), d["statusCode"]!.GetValue<int>(), d["succeeded"]!.GetValue<bool>())));
        var received = server.Hooks.For(hookName);
        Assert.Equal(2, received.Count);
        Assert.Single(received.Select(r => r.DeliveryId).Distinct());
        Assert.All(received, r => AssertSigned(r, secret));
        await Ok(await admin.DeleteAsync($"/api/v1/webhooks/{hookId}", Ct));
    }

    [Fact]
    public async Task A_meter_event_is_stored_only_together_with_its_alert()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        await SetEmailAsync(admin, s.CustomerId, $"atomic{s.Suffix}@example.org");
        var handler = server.Services.GetRequiredService<MeterMessageHandler>();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new EventsMessage([new EventPayload(T0, "creditExhausted", null)]), ProtocolJson.Options);
        async Task<(int Events, int Messages)> CountAsync()
        {
            await using var scope = server.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var meterId = await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
            return (await db.MeterEvents.CountAsync(e => e.MeterId == meterId, Ct), await db.Notifications.CountAsync(n => n.CustomerId == s.CustomerId, Ct));
        }

        // The outbox fails after the event's row is written: the event goes with it, so the meter's next delivery of
        // the same event is new again rather than a duplicate whose alert never existed.
        static Task FailingOutbox(PrepayDb db, Guid meterId, string meterNumber, IReadOnlyList<Prepay.MeterLink.Uplinks.MeterEvent> events, CancellationToken ct) =>
            throw new InvalidOperationException("outbox unavailable");
        handler.EventsStoring += FailingOutbox;
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => handler.HandleAsync(s.MeterNumber, Topics.Events, payload, Ct));
        }
        finally
        {
            handler.EventsStoring -= FailingOutbox;
        }
        Assert.Equal((0, 0), await CountAsync());

        await handler.HandleAsync(s.MeterNumber, Topics.Events, payload, Ct);
        Assert.Equal((1, 1), await CountAsync());
        // Delivered again, it is a duplicate: neither the event nor its alert is stored twice.
        await handler.HandleAsync(s.MeterNumber, Topics.Events, payload, Ct);
        Assert.Equal((1, 1), await CountAsync());
    }

    [Fact]
    public async Task Notifications_pending_when_a_server_stops_are_sent_once_by_the_next_server_on_the_same_database()
    {
        server.SkipUnlessAvailable();
        var folder = Path.Combine(Path.GetTempPath(), "prepay-tests", "restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connection = server.Provider == DatabaseProvider.Postgres
            ? await Databases.CreatePostgresDatabaseAsync()
            : $"Data Source={Path.Combine(folder, "shared.db")};Default Timeout=30";
        Guid customerId;
        Guid delivered;
        var first = new SharedDatabaseServer(server.Provider, connection, server.Smtp.Port);
        await first.InitializeAsync();
        try
        {
            var s = await CreateAsync(first);
            customerId = s.CustomerId;
            using var admin = first.Client();
            await SetEmailAsync(admin, s.CustomerId, $"restart{s.Suffix}@example.org");
            using var vendor = first.Client(s.VendorKey);
            await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
            var sent = await EventuallyAsync(() => NotificationsAsync(first, customerId), n => n.Count == 1 && n[0].State == NotificationState.Sent);
            delivered = Assert.Single(sent).Id;
            // This server stops sending; what it queues now is left pending when it stops.
            await first.Services.GetRequiredService<AlertDispatcher>().StopAsync(Ct);
            for (var i = 0; i < 3; i++)
            {
                await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "11.00", currency = "ZAR" }), Ct));
            }
            var pending = await NotificationsAsync(first, customerId);
            Assert.Equal(3, pending.Count(n => n.State == NotificationState.Pending));
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new SharedDatabaseServer(server.Provider, connection, server.Smtp.Port);
        await second.InitializeAsync();
        try
        {
            var all = await EventuallyAsync(() => NotificationsAsync(second, customerId), n => n.All(x => x.State == NotificationState.Sent));
            Assert.Equal(4, all.Count);
            Assert.All(all, n => Assert.Equal((NotificationState.Sent, 1), (n.State, n.Attempts)));
            var mail = await EventuallyAsync(() => Task.FromResult(MailFor(all.Select(n => n.Id))), m => m.Count >= 4);
            await second.Services.GetRequiredService<AlertDispatcher>().DispatchOnceAsync(Ct);
            mail = MailFor(all.Select(n => n.Id));
            Assert.Equal(4, mail.Count);
            Assert.Single(mail, m => m.Header("Message-ID") == $"<{delivered:N}@prepay>");
        }
        finally
        {
            await second.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task A_customers_own_low_credit_threshold_in_money_or_days_warns_once_a_day()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var email = $"w{s.Suffix}@example.org";
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences",
            new { preferences = new object[] { new { channel = "email", enabled = true, address = email, lowCreditThresholdMinor = 2000, lowCreditDays = 2 } } }, Ct));
        using var vendor = server.Client(s.VendorKey);
        // 50.00 at 2.00/kWh buys 25 kWh: 0.20 per 100 Wh.
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "50.00", currency = "ZAR" }), Ct));
        var watch = server.Services.GetRequiredService<LowCreditWatch>();
        Assert.Equal(0, await watch.CheckOnceAsync(Ct)); // the meter has not reported its credit yet

        await using var meter = await ConnectedMeterAsync(server, s.MeterNumber);
        await meter.PublishAsync(Topics.Readings, new ReadingsMessage([
            new ReadingPayload(T0.AddDays(-1), 1000, 1000, 9000, 2300, 1000, 230),
            new ReadingPayload(T0, 5000, 4000, 5000, 2300, 1000, 230)]));
        await meter.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 5000, 5000, null));
        await EventuallyAsync(async () =>
        {
            await using var scope = server.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var id = await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync();
            // The day between the two readings is stored as estimates (0 Wh each: the register did not move before T0's interval).
            return (await db.Readings.CountAsync(r => r.MeterId == id && r.Quality != "estimated"), await db.MeterStatus.Where(x => x.MeterId == id).Select(x => x.CreditWh).FirstOrDefaultAsync());
        }, x => x.Item1 == 2 && x.Item2 == 5000);

        // 5 kWh left is about 10.00, under the customer's 20.00. A day of history is too little for a weekday-and-hour
        // profile, so the flat average: 5 kWh in 24¼ h (the first reading's quarter hour counts) runs out at 06:15
        // tomorrow, less than a day from now (08:00), under 2.
        Assert.Equal(1, await watch.CheckOnceAsync(Ct));
        Assert.Equal(0, await watch.CheckOnceAsync(Ct));
        var warning = (await EventuallyAsync(() => NotificationsAsync(server, s.CustomerId), n => n.Any(x => x.Kind == "lowCredit" && x.State == NotificationState.Sent)))
            .Single(x => x.Kind == "lowCredit");
        Assert.Contains("about 10.00 ZAR, less than a day at your recent use left", warning.Body, StringComparison.Ordinal);
        var mail = Assert.Single(await EventuallyAsync(() => Task.FromResult(MailFor([warning.Id])), m => m.Count >= 1));
        Assert.Contains(email, mail.Header("To"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preference_list_holding_null_is_refused_and_changes_nothing()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        using var body = new StringContent("""{"preferences":[null,{"channel":"sms","enabled":true}]}""", System.Text.Encoding.UTF8, "application/json");
        var bad = await admin.PutAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["preferences[0]"], (await Json(bad))["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty((await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences", Ct))).AsArray());
    }

    [Fact]
    public async Task Preferences_are_validated_and_replace_the_customers_channels()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var bad = await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences",
            new { preferences = new object[] { new { channel = "fax", enabled = true }, new { channel = "email", enabled = true, address = "not an address" }, new { channel = "push", enabled = true } } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await Json(bad))["errors"]!.AsObject();
        Assert.Equal(["preferences[0].channel", "preferences[1].address", "preferences[2].address"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences",
            new { preferences = new object[] { new { channel = "sms", enabled = true, lowCreditDays = 3 }, new { channel = "push", enabled = true, address = "device-1" } } }, Ct));
        var stored = (await Ok(await admin.GetAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences", Ct))).AsArray();
        Assert.Equal(["sms", "push"], stored.Select(p => p!["channel"]!.GetValue<string>()));
        Assert.Equal(3, stored[0]!["lowCreditDays"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/customers/{Guid.NewGuid()}/notification-preferences", Ct)).StatusCode);
        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/v1/alerts", Ct)).StatusCode);
    }
}

public sealed class AlertsSqliteTests(AlertsSqliteServer server) : AlertsTests(server), IClassFixture<AlertsSqliteServer>;

public sealed class AlertsPostgresTests(AlertsPostgresServer server) : AlertsTests(server), IClassFixture<AlertsPostgresServer>;
