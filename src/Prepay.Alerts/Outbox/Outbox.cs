using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Outbox;

/// <summary>
/// Turns one <see cref="AlertMessage"/> into outbox rows: one per channel the customer has enabled, and one per
/// active webhook subscribed to its kind. Each row's dedup key is the message's cause plus its destination.
/// </summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<List<NotificationRecord>> AddressAsync(PrepayDb db, AlertMessage m, Instant now, CancellationToken ct) =>
        Address(await DestinationsAsync(db, m.CustomerId, ct), m, now);

    /// <summary>
    /// Where a customer's messages go: their enabled channels and the active webhooks. Read apart from
    /// <see cref="Address"/> so that a caller can read it before its write transaction and hold no lock meanwhile.
    /// </summary>
    public static async Task<Destinations> DestinationsAsync(PrepayDb db, Guid customerId, CancellationToken ct)
    {
        var recipients = await RecipientsAsync(db, customerId, ct);
        var hooks = await db.WebhookSubscriptions.AsNoTracking().Where(w => w.Active).Select(w => new { w.Id, w.EventKinds }).ToListAsync(ct);
        return new Destinations(recipients, [.. hooks.Select(h => (h.Id, h.EventKinds.Split(',')))]);
    }

    /// <summary>
    /// The same destinations from rows a caller read itself (a vend reads them with its meter, in one query): the
    /// customer's email and phone and preferences, and the active webhooks with their comma-separated kinds.
    /// </summary>
    public static Destinations DestinationsOf(string? email, string? phone, IReadOnlyList<NotificationPreference> preferences, IEnumerable<(Guid Id, string EventKinds)> activeWebhooks) =>
        new(RecipientsOf(email, phone, preferences), [.. activeWebhooks.Select(h => (h.Id, h.EventKinds.Split(',')))]);

    /// <summary>One row per destination of the message: each enabled channel, each webhook subscribed to its kind.</summary>
    public static List<NotificationRecord> Address(Destinations to, AlertMessage m, Instant now)
    {
        var rows = new List<NotificationRecord>();
        foreach (var (channel, address) in to.Recipients)
        {
            rows.Add(Row(m.Kind, channel, address, m.CustomerId, m.Subject, m.Text, $"{m.Cause}:{channel.ToString().ToLowerInvariant()}", now));
        }
        foreach (var (hookId, kinds) in to.Webhooks.Where(h => h.EventKinds.Contains(m.Kind, StringComparer.Ordinal)))
        {
            var id = NewId(now);
            var body = JsonSerializer.Serialize(new
            {
                id,
                kind = m.Kind,
                occurredAt = InstantPattern.ExtendedIso.Format(m.OccurredAt),
                customerId = m.CustomerId,
                data = m.Data,
            }, Json);
            rows.Add(Row(m.Kind, NotificationChannel.Webhook, hookId.ToString(), null, m.Subject, body, $"{m.Cause}:webhook:{hookId:N}", now, id));
        }
        return rows;
    }

    /// <summary>
    /// Inserts rows outside an EF unit of work, each skipped when its dedup key is already there: the database, not
    /// a read before the write, decides that the same cause is queued once. In the caller's transaction if it has one,
    /// else together in one of their own.
    /// </summary>
    public static Task<int> InsertAsync(PrepayDb db, IEnumerable<NotificationRecord> rows, CancellationToken ct) =>
        db.QueuedAsync(() => InsertAllAsync(db, rows, ct), ct);

    private static async Task<int> InsertAllAsync(PrepayDb db, IEnumerable<NotificationRecord> rows, CancellationToken ct)
    {
        var inserted = 0;
        foreach (var n in rows)
        {
            var channel = n.Channel.ToString();
            var state = n.State.ToString();
            inserted += await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO notifications (id, customer_id, channel, kind, dedup_key, recipient, subject, body, state, attempts, next_attempt_at, created_at)
                VALUES ({n.Id}, {n.CustomerId}, {channel}, {n.Kind}, {n.DedupKey}, {n.Recipient}, {n.Subject}, {n.Body}, {state}, 0, {n.NextAttemptAt.ToUnixTimeTicks()}, {n.CreatedAt.ToUnixTimeTicks()})
                ON CONFLICT (dedup_key) DO NOTHING
                """, ct);
        }
        return inserted;
    }

    /// <summary>
    /// Inserts one email with a file attached (a scheduled report's CSV) in the caller's transaction: the row is skipped
    /// when its dedup key is already there, and the file goes in only with a row that went in. Returns 1 or 0.
    /// </summary>
    public static async Task<int> InsertWithAttachmentAsync(PrepayDb db, NotificationRecord row, NotificationAttachment file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(file);
        if (await InsertAllAsync(db, [row], ct) == 0)
        {
            return 0;
        }
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO notification_attachments (notification_id, file_name, content_type, content) VALUES ({row.Id}, {file.FileName}, {file.ContentType}, {file.Content})", ct);
        return 1;
    }

    /// <summary>An email to one address for a producer that is not about a customer (a scheduled report).</summary>
    public static NotificationRecord Email(string kind, string dedupKey, string address, string subject, string body, Instant now) =>
        Row(kind, NotificationChannel.Email, address, null, subject, body, dedupKey, now);

    /// <summary>
    /// The customer's enabled channels and where to reach them. With no preferences stored, email to the address on
    /// the customer record, if any.
    /// </summary>
    public static async Task<List<(NotificationChannel Channel, string Address)>> RecipientsAsync(PrepayDb db, Guid customerId, CancellationToken ct)
    {
        // One round trip: the customer with their preferences (a vend reads this on every sale).
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.Email, c.Phone, Preferences = db.NotificationPreferences.Where(p => p.CustomerId == c.Id).ToList() })
            .FirstOrDefaultAsync(ct);
        return customer is null ? [] : RecipientsOf(customer.Email, customer.Phone, customer.Preferences);
    }

    private static List<(NotificationChannel Channel, string Address)> RecipientsOf(string? email, string? phone, IReadOnlyList<NotificationPreference> preferences)
    {
        if (preferences.Count == 0)
        {
            return string.IsNullOrWhiteSpace(email) ? [] : [(NotificationChannel.Email, email)];
        }
        var result = new List<(NotificationChannel, string)>();
        foreach (var p in preferences.Where(p => p.Enabled).OrderBy(p => p.Channel))
        {
            if (AddressOf(p, email, phone) is { } address)
            {
                result.Add((p.Channel, address));
            }
        }
        return result;
    }

    /// <summary>One row for one channel and address, for producers that pick channels themselves.</summary>
    public static NotificationRecord ForChannel(AlertMessage m, NotificationChannel channel, string address, Instant now) =>
        Row(m.Kind, channel, address, m.CustomerId, m.Subject, m.Text, $"{m.Cause}:{channel.ToString().ToLowerInvariant()}", now);

    /// <summary>Where a preference sends: its own address, else the customer record's email or phone.</summary>
    public static string? AddressOf(NotificationPreference p, string? email, string? phone)
    {
        var address = p.Address ?? p.Channel switch
        {
            NotificationChannel.Email => email,
            NotificationChannel.Sms => phone,
            _ => null,
        };
        return string.IsNullOrWhiteSpace(address) ? null : address;
    }

    private static Guid NewId(Instant now) => Guid.CreateVersion7(now.ToDateTimeOffset());

    private static NotificationRecord Row(string kind, NotificationChannel channel, string recipient, Guid? customerId, string subject, string body, string dedupKey, Instant now, Guid? id = null) => new()
    {
        Id = id ?? NewId(now),
        CustomerId = customerId,
        Channel = channel,
        Kind = kind,
        DedupKey = dedupKey,
        Recipient = recipient,
        Subject = subject,
        Body = body,
        State = NotificationState.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };
}

/// <summary>A customer's enabled channels with their addresses, and the active webhooks with the kinds each wants.</summary>
public sealed record Destinations(
    IReadOnlyList<(NotificationChannel Channel, string Address)> Recipients,
    IReadOnlyList<(Guid Id, string[] EventKinds)> Webhooks);
