using NodaTime;
using Prepay.Alerts.Outbox;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Producers;

/// <summary>What a top-up receipt says; the vend's id makes it once-only.</summary>
public sealed record TopUpReceipt(
    Guid VendId, Guid CustomerId, string MeterNumber, string Amount, string Currency, long EnergyWh, string EnergyKwh,
    string? Token, string ReceiptNumber, Instant At, IReadOnlyList<string>? Tokens = null, IReadOnlyList<string>? KeyChangeTokens = null);

/// <summary>
/// Receipts for top-ups, queued in the vend's own transaction: the rows are only added to the vend's context, so
/// they commit with the vend or not at all, and the dispatcher sends them after. Where they go (the customer's
/// channels, the webhooks) is read before the vend's transaction, so that no lock is held while it is read.
/// </summary>
public static class TopUpReceipts
{
    /// <summary>Where the customer's receipts go; read before the vend's write transaction.</summary>
    public static Task<Destinations> DestinationsAsync(PrepayDb db, Guid customerId, CancellationToken ct) =>
        Outbox.Outbox.DestinationsAsync(db, customerId, ct);

    /// <summary>Where the customer's receipts go, from rows the vend read with its meter (see <see cref="Outbox.Outbox.DestinationsOf"/>).</summary>
    public static Destinations DestinationsOf(string? email, string? phone, IReadOnlyList<NotificationPreference> preferences, IEnumerable<(Guid Id, string EventKinds)> activeWebhooks) =>
        Outbox.Outbox.DestinationsOf(email, phone, preferences, activeWebhooks);

    public static void Enqueue(PrepayDb db, Destinations to, TopUpReceipt r)
    {
        // Every token to type, in order: a sale above 1 638.3 kWh has two.
        var token = r.Tokens is { Count: > 1 } several
            ? "\n" + string.Join("\n", several.Select((t, i) => $"Token {i + 1} of {several.Count}: {Group(t)}"))
            : r.Token is null ? "" : $"\nToken: {Group(r.Token)}";
        // IEC 62055-41 §6.3.4: key change tokens go in first, and any older unused token must go in before them.
        if (r.KeyChangeTokens is { Count: > 0 } keyChange)
        {
            token = "\nYour meter is moving to a new key. First enter any token you bought earlier and have not entered yet: after the key change it no longer works."
                + "\nThen the key change tokens, in order:\n" + string.Join("\n", keyChange.Select(Group)) + "\nThen:" + token;
        }
        var message = new AlertMessage(
            AlertKinds.TopUp,
            $"vend:{r.VendId:N}",
            r.CustomerId,
            $"Receipt {r.ReceiptNumber}: {r.Amount} {r.Currency} for meter {r.MeterNumber}",
            $"Top-up received: {r.Amount} {r.Currency} bought {r.EnergyKwh} kWh for meter {r.MeterNumber}.{token}\nReceipt {r.ReceiptNumber}.",
            r.At,
            // No token for integrations: it is the customer's to enter, and webhooks go to other systems.
            new Dictionary<string, object?>
            {
                ["vendId"] = r.VendId, ["meterNumber"] = r.MeterNumber, ["amount"] = r.Amount, ["currency"] = r.Currency,
                ["energyWh"] = r.EnergyWh, ["receiptNumber"] = r.ReceiptNumber,
            });
        var rows = Outbox.Outbox.Address(to, message, r.At);
        db.Notifications.AddRange(rows);
        if (token.Length > 0)
        {
            // A receipt that carries the token is a token read (ASVS V16): which vend, by which channel, to where.
            foreach (var row in rows.Where(n => n.Channel != NotificationChannel.Webhook))
            {
                db.Audit.Add(new AuditRecord
                {
                    At = r.At, Actor = "system:alerts", Action = AuditActions.TokenRead, Target = $"vend/{r.VendId}",
                    Details = $"top-up receipt by {row.Channel.ToString().ToLowerInvariant()} to {row.Recipient}: meter {r.MeterNumber}",
                });
            }
        }
    }

    /// <summary>A 20-digit token in groups of four, as meters' keypads and receipts show it.</summary>
    private static string Group(string token) =>
        token.Length == 20 ? string.Join(' ', Enumerable.Range(0, 5).Select(i => token.Substring(i * 4, 4))) : token;
}
