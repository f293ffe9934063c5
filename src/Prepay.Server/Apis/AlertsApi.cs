using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Alerts.Operators;
using Prepay.Alerts.Preferences;
using Prepay.Alerts.Outbox;
using Prepay.Server.Apis.Catalog;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Server.Apis;

public sealed record PreferenceInput(string? Channel, bool Enabled, string? Address, long? LowCreditThresholdMinor, int? LowCreditDays);

public sealed record PreferencesInput(IReadOnlyList<PreferenceInput>? Preferences);

public sealed record PreferenceDto(NotificationChannel Channel, bool Enabled, string? Address, long? LowCreditThresholdMinor, int? LowCreditDays);

public sealed record NotificationDto(Guid Id, NotificationChannel Channel, string Kind, string Recipient, string? Subject, string Body,
    NotificationState State, int Attempts, Instant CreatedAt, Instant NextAttemptAt, Instant? SentAt, string? LastError);

public sealed record WebhookInput(string? Url, IReadOnlyList<string>? Events, string? Description);

/// <summary>The <see cref="Secret"/> signs every delivery; it is shown here, once, and never again.</summary>
public sealed record WebhookCreated(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, bool Active, Instant CreatedAt, string Secret);

/// <summary>A rotation's answer: the new <see cref="Secret"/>, shown once; the old one still signs until <see cref="PreviousSecretUntil"/> (null: not at all).</summary>
public sealed record WebhookSecretRotated(Guid Id, string Secret, Instant? PreviousSecretUntil);

public sealed record WebhookDto(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, bool Active, Instant CreatedAt)
{
    public static WebhookDto From(WebhookSubscription w) => new(w.Id, w.Url, w.EventKinds.Split(','), w.Description, w.Active, w.CreatedAt);
}

public sealed record WebhookDeliveryDto(long Id, Guid NotificationId, string Kind, int Attempt, int? StatusCode, bool Succeeded, Instant At, string? Error);

public sealed record OperatorAlertDto(long Id, string MeterNumber, string Type, Instant At, string? Details, Instant RaisedAt, Instant? AcknowledgedAt, string? AcknowledgedBy)
{
    public static OperatorAlertDto From(OperatorAlert a) => new(a.Id, a.MeterNumber, a.Type, a.At, a.Details, a.RaisedAt, a.AcknowledgedAt, a.AcknowledgedBy);
}

/// <summary>
/// Customer alerts (channel preferences, the messages sent), webhook subscriptions with their delivery log, and
/// operator alerts from meters. Staff only; every change is audited.
/// </summary>
public static class AlertsApi
{
    public const int MaxRows = 1000;

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers/{id:guid}").WithTags("Alerts").RequireAuthorization(Policies.Staff);
        customers.MapGet("/notification-preferences", Preferences);
        customers.MapPut("/notification-preferences", SetPreferences).Accepts<PreferencesInput>("application/json")
            .WithSummary("Replace the customer's channels (email, sms, push). With none stored, email goes to the customer's address.");
        customers.MapGet("/notifications", Notifications).WithSummary("Messages queued for the customer, newest first, with their delivery state.");

        var hooks = api.MapGroup("/webhooks").WithTags("Alerts").RequireAuthorization(Policies.Staff);
        hooks.MapGet("/", async (PrepayDb db, CancellationToken ct) =>
            TypedResults.Ok((await db.WebhookSubscriptions.AsNoTracking().OrderBy(w => w.CreatedAt).ToListAsync(ct)).Select(WebhookDto.From).ToList()));
        hooks.MapPost("/", CreateWebhook).Accepts<WebhookInput>("application/json")
            .WithSummary("Subscribe a URL to events; the signing secret is in this response only.");
        hooks.MapPost("/{id:guid}/secret", RotateSecret)
            .WithSummary("Issue a new signing secret (shown in this response only); the old one keeps signing beside it for Alerts:Webhooks:SecretOverlap.");
        hooks.MapDelete("/{id:guid}", DeleteWebhook).WithSummary("Deactivate a subscription; its delivery log is kept.");
        hooks.MapGet("/{id:guid}/deliveries", Deliveries).WithSummary("Every delivery attempt, newest first.");

        var alerts = api.MapGroup("/alerts").WithTags("Alerts").RequireAuthorization(Policies.Staff);
        alerts.MapGet("/", OperatorAlerts).WithSummary("Meters' abnormal voltage, overload, outage and tamper, newest first; filter by type, meter, open.");
        alerts.MapPost("/{id:long}/acknowledge", Acknowledge).WithSummary("Take an open alert in hand; audited. 409 with who did, if someone already has.");
        return api;
    }

    private static async Task<IResult> Preferences(Guid id, PrepayDb db, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound($"No customer {id}.");
        }
        var rows = await db.NotificationPreferences.AsNoTracking().Where(p => p.CustomerId == id).ToListAsync(ct);
        return TypedResults.Ok(rows.OrderBy(p => p.Channel).Select(p => new PreferenceDto(p.Channel, p.Enabled, p.Address, p.LowCreditThresholdMinor, p.LowCreditDays)).ToList());
    }

    private static async Task<IResult> SetPreferences(Guid id, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<PreferencesInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        var parsed = new List<NotificationPreference>();
        var list = input!.Preferences ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var p = list[i];
            var at = $"preferences[{i}]";
            if (p is null)
            {
                // JSON lets a list hold null where a preference belongs.
                errors[at] = ["must be an object"];
                continue;
            }
            if (!Enum.TryParse<NotificationChannel>(p.Channel, ignoreCase: true, out var channel) || channel == NotificationChannel.Webhook || int.TryParse(p.Channel, out _))
            {
                errors[at + ".channel"] = ["must be email, sms or push"];
                continue;
            }
            if (parsed.Any(x => x.Channel == channel))
            {
                errors[at + ".channel"] = ["is named twice"];
            }
            var address = p.Address?.Trim();
            switch (NotificationPreferenceRules.Check(channel, address, p.Enabled))
            {
                case AddressProblem.Length:
                    errors[at + ".address"] = [$"must be 1 to {NotificationPreferenceRules.MaxAddressLength} characters"];
                    break;
                case AddressProblem.NotAnEmail:
                    errors[at + ".address"] = ["must be an email address"];
                    break;
                case AddressProblem.PushNeedsDeviceToken:
                    errors[at + ".address"] = ["push needs the device's token"];
                    break;
            }
            if (p.LowCreditThresholdMinor is < 0)
            {
                errors[at + ".lowCreditThresholdMinor"] = ["must be zero or more"];
            }
            if (p.LowCreditDays is { } days && !NotificationPreferenceRules.DaysAllowed(days))
            {
                errors[at + ".lowCreditDays"] = [$"must be 1 to {NotificationPreferenceRules.MaxLowCreditDays}"];
            }
            parsed.Add(new NotificationPreference
            {
                CustomerId = id, Channel = channel, Enabled = p.Enabled, Address = address,
                LowCreditThresholdMinor = p.LowCreditThresholdMinor, LowCreditDays = p.LowCreditDays,
            });
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound($"No customer {id}.");
        }
        await NotificationPreferenceRules.ReplaceAsync(db, id, parsed, ApiKeyAuthentication.ActorOf(http.User).AuditName, "notification-preferences.update", clock.GetCurrentInstant(), ct);
        return TypedResults.Ok(parsed.OrderBy(p => p.Channel).Select(p => new PreferenceDto(p.Channel, p.Enabled, p.Address, p.LowCreditThresholdMinor, p.LowCreditDays)).ToList());
    }

    private static async Task<IResult> Notifications(Guid id, int? limit, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound($"No customer {id}.");
        }
        var found = await db.Notifications.AsNoTracking().Where(n => n.CustomerId == id).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(Math.Clamp(limit ?? 100, 1, MaxRows))
            .Select(n => new
            {
                Dto = new NotificationDto(n.Id, n.Channel, n.Kind, n.Recipient, n.Subject, n.Body, n.State, n.Attempts, n.CreatedAt, n.NextAttemptAt, n.SentAt, n.LastError),
                n.DedupKey,
            })
            .ToListAsync(ct);
        var rows = found.Select(n => n.Dto).ToList();
        // A top-up receipt's text carries the token: showing it to staff is a token read (webhooks carry none). Its
        // cause, "vend:{id}", names the vend.
        var receipts = found.Where(n => n.Dto.Kind == AlertKinds.TopUp && n.Dto.Channel != NotificationChannel.Webhook)
            .Select(n => n.DedupKey.Split(':')).Where(k => k.Length > 1 && k[0] == "vend").Select(k => k[1]).Distinct(StringComparer.Ordinal).ToList();
        if (receipts.Count > 0)
        {
            Audit.Record(db, http, clock, AuditActions.TokenRead, $"customer/{id}", $"top-up receipts: vends {string.Join(", ", receipts)}");
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> CreateWebhook(HttpContext http, PrepayDb db, IClock clock, Prepay.Alerts.AlertsOptions alerts, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<WebhookInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        if (await Prepay.Alerts.Channels.WebhookTargets.RefusalAsync(input!.Url, alerts.Webhooks, ct) is { } refusal)
        {
            errors["url"] = [refusal];
        }
        var events = input.Events?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (events.Count == 0 || events.Any(e => !AlertKinds.Customer.Contains(e)))
        {
            errors["events"] = [$"name one or more of {string.Join(", ", AlertKinds.Customer)}"];
        }
        if (input.Description is { Length: > 200 })
        {
            errors["description"] = ["at most 200 characters"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var now = clock.GetCurrentInstant();
        var hook = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Url = input.Url!,
            Secret = Prepay.Alerts.Channels.WebhookSignature.NewSecret(),
            EventKinds = string.Join(',', events),
            Description = input.Description?.Trim(),
            Active = true,
            CreatedAt = now,
        };
        db.WebhookSubscriptions.Add(hook);
        // The URL and events are audited; the secret is not.
        Audit.Record(db, http, clock, "webhook.create", $"webhook/{hook.Id}", $"{hook.Url} ({hook.EventKinds})");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/webhooks/{hook.Id}",
            new WebhookCreated(hook.Id, hook.Url, events, hook.Description, hook.Active, hook.CreatedAt, hook.Secret));
    }

    private static async Task<IResult> RotateSecret(Guid id, HttpContext http, PrepayDb db, IClock clock, Prepay.Alerts.AlertsOptions alerts, CancellationToken ct)
    {
        var hook = await db.WebhookSubscriptions.FirstOrDefaultAsync(w => w.Id == id && w.Active, ct);
        if (hook is null)
        {
            return Problems.NotFound($"No webhook {id}.");
        }
        var now = clock.GetCurrentInstant();
        var secret = Prepay.Alerts.Channels.WebhookSecrets.Rotate(hook, now, Duration.FromTimeSpan(alerts.Webhooks.SecretOverlap));
        // When the old secret stops signing is audited; neither secret is.
        Audit.Record(db, http, clock, "webhook.secret.rotate", $"webhook/{id}", hook.PreviousSecretUntil is { } until ? $"old secret signs until {until}" : "old secret retired at once");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new WebhookSecretRotated(id, secret, hook.PreviousSecretUntil));
    }

    private static async Task<IResult> DeleteWebhook(Guid id, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var hook = await db.WebhookSubscriptions.FirstOrDefaultAsync(w => w.Id == id, ct);
        if (hook is null)
        {
            return Problems.NotFound($"No webhook {id}.");
        }
        if (hook.Active)
        {
            hook.Active = false;
            Audit.Record(db, http, clock, "webhook.delete", $"webhook/{id}", hook.Url);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Deliveries(Guid id, int? limit, PrepayDb db, CancellationToken ct)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(w => w.Id == id, ct))
        {
            return Problems.NotFound($"No webhook {id}.");
        }
        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id).OrderByDescending(d => d.Id)
            .Take(Math.Clamp(limit ?? 100, 1, MaxRows))
            .Select(d => new WebhookDeliveryDto(d.Id, d.NotificationId, d.Kind, d.Attempt, d.StatusCode, d.Succeeded, d.At, d.Error))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> OperatorAlerts(string? type, string? meter, bool? open, int? limit, PrepayDb db, CancellationToken ct)
    {
        if (type is not null && !AlertKinds.Operator.Contains(type))
        {
            return Problems.Invalid("type", $"must be one of {string.Join(", ", AlertKinds.Operator)}");
        }
        var q = db.OperatorAlerts.AsNoTracking();
        if (type is not null)
        {
            q = q.Where(a => a.Type == type);
        }
        if (!string.IsNullOrWhiteSpace(meter))
        {
            q = q.Where(a => a.MeterNumber == meter);
        }
        if (open is { } o)
        {
            q = o ? q.Where(a => a.AcknowledgedAt == null) : q.Where(a => a.AcknowledgedAt != null);
        }
        var rows = await q.OrderByDescending(a => a.Id).Take(Math.Clamp(limit ?? 100, 1, MaxRows)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(OperatorAlertDto.From).ToList());
    }

    private static async Task<IResult> Acknowledge(long id, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct) =>
        await OperatorAlertAcknowledgements.AcknowledgeAsync(db, id, ApiKeyAuthentication.ActorOf(http.User).AuditName, null, clock.GetCurrentInstant(), ct) switch
        {
            AcknowledgeOutcome.Done d => TypedResults.Ok(OperatorAlertDto.From(d.Alert)),
            AcknowledgeOutcome.AlreadyAcknowledged a => Problems.Conflict("already-acknowledged", $"Alert {id} was acknowledged by {a.Alert.AcknowledgedBy}."),
            AcknowledgeOutcome.NotFound => Problems.NotFound($"No alert {id}."),
            AcknowledgeOutcome.Invalid i => Problems.Invalid(i.Field, i.Message),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
}
