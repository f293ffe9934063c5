using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Alerts.Dispatch;
using Prepay.Alerts.Outbox;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Reports.Welfare;

/// <summary>What an operator sends a household a welfare signal points at: the text, or the default offer of help.</summary>
public sealed record OutreachInput(Guid CustomerId, string? Message);

public abstract record OutreachOutcome
{
    /// <summary>Queued to these channels of the customer's.</summary>
    public sealed record Queued(IReadOnlyList<string> Channels) : OutreachOutcome;

    public sealed record CustomerNotFound : OutreachOutcome;

    /// <summary>The customer has no email or SMS channel to reach them by.</summary>
    public sealed record NoChannel : OutreachOutcome;

    /// <summary>An outreach message went to this customer today already: one a day, however often the button is pressed.</summary>
    public sealed record AlreadySentToday : OutreachOutcome;

    public sealed record Invalid(string Field, string Problem) : OutreachOutcome;
}

/// <summary>
/// The optional outreach message to a household going without (issue 17, item 2): an operator's choice, never sent
/// by itself. It goes through the alerts outbox to the customer's email and SMS channels as their alert settings have
/// them, at most once a customer and UTC day (the outbox's dedup key), and is audited with who sent it.
/// </summary>
public sealed class WelfareOutreach(IServiceScopeFactory scopes, IClock clock, AlertDispatcher dispatcher)
{
    public const string Kind = "welfareOutreach";

    public const string AuditAction = "welfare.outreach";

    public const int MaxLength = 600;

    public const string DefaultMessage =
        "We noticed your electricity has been off, or that you are using much less than before. If buying electricity is " +
        "hard at the moment, please talk to us: we can look at a payment plan for any debt, free basic electricity where " +
        "it applies, and buying in smaller amounts. Reply to this message or contact your property office.";

    public async Task<OutreachOutcome> SendAsync(OutreachInput input, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = string.IsNullOrWhiteSpace(input.Message) ? DefaultMessage : input.Message.Trim();
        if (text.Length > MaxLength)
        {
            return new OutreachOutcome.Invalid("message", $"at most {MaxLength} characters (an SMS reaches people on any phone)");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        if (!await db.Customers.AsNoTracking().AnyAsync(c => c.Id == input.CustomerId, ct))
        {
            return new OutreachOutcome.CustomerNotFound();
        }
        var recipients = (await Outbox.RecipientsAsync(db, input.CustomerId, ct)).Where(r => r.Channel is NotificationChannel.Email or NotificationChannel.Sms).ToList();
        if (recipients.Count == 0)
        {
            return new OutreachOutcome.NoChannel();
        }
        var now = clock.GetCurrentInstant();
        var day = now.InUtc().Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var message = new AlertMessage(Kind, $"outreach:{input.CustomerId:N}:{day}", input.CustomerId, "We are here to help", text, now,
            new Dictionary<string, object?>());
        int queued;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            queued = await Outbox.InsertAsync(db, recipients.Select(r => Outbox.ForChannel(message, r.Channel, r.Address, now)), ct);
            if (queued > 0)
            {
                db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = AuditAction, Target = $"customer/{input.CustomerId}", Details = text });
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        if (queued == 0)
        {
            return new OutreachOutcome.AlreadySentToday();
        }
        dispatcher.Wake();
        return new OutreachOutcome.Queued([.. recipients.Select(r => r.Channel.ToString().ToLowerInvariant())]);
    }
}
