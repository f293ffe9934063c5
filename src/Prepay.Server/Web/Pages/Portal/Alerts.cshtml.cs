using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Alerts.Preferences;
using Prepay.Domain.Money;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Portal;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Server.Web.Pages.Portal;

/// <summary>One channel's row of the alert settings form, as typed.</summary>
public sealed class ChannelForm
{
    public NotificationChannel Channel { get; set; }
    public bool Enabled { get; set; }
    public string? Address { get; set; }
    public string? Threshold { get; set; }
    public string? Days { get; set; }
}

/// <summary>
/// The customer's own alert settings: per channel (email, SMS, push) on or off, where to, and when to warn about low
/// credit (an amount of money, or days of credit left). Stored where the alerts module reads them
/// (<c>notification_preferences</c>), replaced as a whole like the API does, and audited.
/// </summary>
[Authorize(Policy = PortalSetup.CustomerPolicy)]
public sealed class PortalAlertsModel(PrepayDb db, IClock clock) : PageModel
{
    public const int MaxDays = NotificationPreferenceRules.MaxLowCreditDays;

    private static readonly NotificationChannel[] Offered = [NotificationChannel.Email, NotificationChannel.Sms, NotificationChannel.Push];

    [BindProperty]
    public List<ChannelForm> Channels { get; set; } = [];

    public Currency Currency { get; private set; } = Currency.ZAR;

    public string? DefaultEmail { get; private set; }

    public string? DefaultPhone { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadContextAsync(ct);
        var stored = await db.NotificationPreferences.AsNoTracking().Where(p => p.CustomerId == CustomerId).ToListAsync(ct);
        Channels = Offered.Select(c => stored.FirstOrDefault(p => p.Channel == c) is { } p
            ? new ChannelForm
            {
                Channel = c, Enabled = p.Enabled, Address = p.Address,
                Threshold = p.LowCreditThresholdMinor is { } t ? new Money(t, Currency).ToDecimalString() : null,
                Days = p.LowCreditDays?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
            // With nothing stored, email goes to the customer's address (the alerts module's default).
            : new ChannelForm { Channel = c, Enabled = c == NotificationChannel.Email && DefaultEmail is not null }).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadContextAsync(ct);
        var rows = new List<NotificationPreference>();
        foreach (var form in Channels.Where(f => Offered.Contains(f.Channel)).DistinctBy(f => f.Channel))
        {
            var key = form.Channel.ToString();
            var address = string.IsNullOrWhiteSpace(form.Address) ? null : form.Address.Trim();
            var problem = NotificationPreferenceRules.Check(form.Channel, address, form.Enabled);
            if (problem != AddressProblem.None)
            {
                Errors[key + ".Address"] = problem switch
                {
                    AddressProblem.NotAnEmail => "Enter an email address, or leave it empty to use the one on your account.",
                    AddressProblem.PushNeedsDeviceToken => "Push alerts need your phone's device token.",
                    _ => $"At most {NotificationPreferenceRules.MaxAddressLength} characters.",
                };
            }
            long? threshold = null;
            if (!string.IsNullOrWhiteSpace(form.Threshold))
            {
                var parsed = Money.TryParse(form.Threshold.Trim(), Currency);
                if (!parsed.Success || parsed.Value.IsNegative)
                {
                    Errors[key + ".Threshold"] = $"Enter an amount in {Currency.Code} such as 20.00, or leave it empty.";
                }
                else
                {
                    threshold = parsed.Value.Minor;
                }
            }
            int? days = null;
            if (!string.IsNullOrWhiteSpace(form.Days))
            {
                if (!int.TryParse(form.Days.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) || !NotificationPreferenceRules.DaysAllowed(d))
                {
                    Errors[key + ".Days"] = $"Enter a whole number of days from 1 to {MaxDays}, or leave it empty.";
                }
                else
                {
                    days = d;
                }
            }
            rows.Add(new NotificationPreference
            {
                CustomerId = CustomerId, Channel = form.Channel, Enabled = form.Enabled, Address = address, LowCreditThresholdMinor = threshold, LowCreditDays = days,
            });
        }
        if (Errors.Count > 0)
        {
            return Page();
        }
        await NotificationPreferenceRules.ReplaceAsync(db, CustomerId, rows, "customer:" + (User.Identity?.Name ?? "?"), "portal.alerts.update", clock.GetCurrentInstant(), ct);
        Saved = true;
        return Page();
    }

    public static string Name(NotificationChannel c) => c switch
    {
        NotificationChannel.Email => "Email",
        NotificationChannel.Sms => "SMS",
        NotificationChannel.Push => "Push notification",
        _ => c.ToString(),
    };

    private Guid CustomerId => PersonActor.CustomerIdOf(User)!.Value;

    private async Task LoadContextAsync(CancellationToken ct)
    {
        var contact = await db.Customers.AsNoTracking().Where(c => c.Id == CustomerId).Select(c => new { c.Email, c.Phone }).FirstOrDefaultAsync(ct);
        DefaultEmail = contact?.Email;
        DefaultPhone = contact?.Phone;
        // Thresholds are money in the currency of the customer's meters.
        var code = await MeterPlacements.Current(db).Where(x => x.CustomerId == CustomerId).Select(x => x.Meter.Currency).FirstOrDefaultAsync(ct);
        Currency = code is not null && Currency.TryFromCode(code, out var c) ? c : Currency.ZAR;
    }
}
