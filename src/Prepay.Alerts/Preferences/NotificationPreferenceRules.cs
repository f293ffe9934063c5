using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Preferences;

/// <summary>What is wrong with a channel's address, if anything.</summary>
public enum AddressProblem
{
    None,

    /// <summary>Empty, or longer than <see cref="NotificationPreferenceRules.MaxAddressLength"/>.</summary>
    Length,

    NotAnEmail,

    /// <summary>Push alerts go to a device token; an enabled push channel needs one.</summary>
    PushNeedsDeviceToken,
}

/// <summary>
/// A customer's alert settings, the same whether the customer saves them on the portal or an integration through the
/// API: which addresses a channel may have, the low-credit warning's limits, and replacing the whole set at once.
/// </summary>
public static class NotificationPreferenceRules
{
    public const int MaxAddressLength = 320;
    public const int MaxLowCreditDays = 60;

    /// <summary>The address as given (null: the customer record's email or phone).</summary>
    public static AddressProblem Check(NotificationChannel channel, string? address, bool enabled) =>
        address is { Length: 0 or > MaxAddressLength } ? AddressProblem.Length
        : channel == NotificationChannel.Email && address is not null && !MimeKit.MailboxAddress.TryParse(address, out _) ? AddressProblem.NotAnEmail
        : channel == NotificationChannel.Push && enabled && address is null ? AddressProblem.PushNeedsDeviceToken
        : AddressProblem.None;

    public static bool DaysAllowed(int days) => days is >= 1 and <= MaxLowCreditDays;

    /// <summary>Replaces the customer's settings with <paramref name="rows"/> in one write transaction, audited by <paramref name="actor"/>.</summary>
    public static async Task ReplaceAsync(PrepayDb db, Guid customerId, IReadOnlyList<NotificationPreference> rows, string actor, string action, Instant now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        await using var tx = await db.BeginWriteAsync(ct);
        var before = await db.NotificationPreferences.Where(p => p.CustomerId == customerId).ToListAsync(ct);
        // Old and new values, addresses included: where a customer's alerts (and receipts with tokens) went, and
        // who changed that, is what a dispute asks.
        var details = $"{Describe(before)} -> {Describe(rows)}";
        db.NotificationPreferences.RemoveRange(before);
        await db.SaveChangesAsync(ct);
        db.NotificationPreferences.AddRange(rows);
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = action, Target = $"customer/{customerId}", Details = details });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>"email=on a@b.example low&lt;2000 3d; sms=off", or "(none)": every setting, channel by channel.</summary>
    public static string Describe(IEnumerable<NotificationPreference> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = string.Join("; ", rows.OrderBy(p => p.Channel).Select(p =>
            $"{p.Channel.ToString().ToLowerInvariant()}={(p.Enabled ? "on" : "off")}"
            + (p.Address is null ? "" : " " + p.Address)
            + (p.LowCreditThresholdMinor is { } t ? $" low<{t}" : "")
            + (p.LowCreditDays is { } d ? $" {d}d" : "")));
        return text.Length == 0 ? "(none)" : text;
    }
}
