namespace Prepay.Storage.Records.Alerts;

/// <summary>
/// How a customer wants to hear from us on one channel. With no row for a customer, email goes to the address on
/// the customer record (when there is one) and nothing else is sent.
/// </summary>
public sealed class NotificationPreference
{
    public Guid CustomerId { get; init; }
    public NotificationChannel Channel { get; init; }
    public bool Enabled { get; set; }

    /// <summary>Email address, phone number or push device token; null: the customer record's email or phone.</summary>
    public string? Address { get; set; }

    /// <summary>Warn when credit falls to this much money (minor units); null: the meter's own low-credit threshold.</summary>
    public long? LowCreditThresholdMinor { get; set; }

    /// <summary>Warn when credit is estimated to last this many days or fewer; null: not used.</summary>
    public int? LowCreditDays { get; set; }
}
