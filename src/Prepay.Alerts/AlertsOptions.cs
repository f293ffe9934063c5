namespace Prepay.Alerts;

/// <summary>
/// Customer alerts and their channels, bound from the <c>Alerts</c> section. Secrets (SMTP password, gateway
/// tokens) come from configuration or the environment (<c>PREPAY_Alerts__Smtp__Password</c>) and are never logged.
/// A message for a channel without its configuration fails at once (kept, with the reason, for operators).
/// </summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>Run the dispatcher in this server (default). Off for a server that should only queue.</summary>
    public bool Dispatch { get; set; } = true;

    /// <summary>
    /// How often the dispatcher looks for due messages (retries, and receipts queued by vends). Messages queued from
    /// meter events on this server wake it at once. 100 ms to 10 minutes; default 10 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages claimed per round. 1 to 1000; default 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Attempts before a message is marked failed (and kept for operators). 1 to 50; default 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay after the first failed attempt, doubled after each further one. 1 s to 1 h; default 30 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest delay between attempts. Default 1 hour, at most a day.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a claimed message belongs to the server that claimed it: if that server dies before marking it,
    /// another sends it after this. Longer than <see cref="SendTimeout"/>. Default 2 minutes.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest one send may take (SMTP session, HTTP request). 1 s to 5 minutes; default 20 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often customers' own low-credit thresholds (money, days) are checked. 1 s to 1 day; default 1 hour.</summary>
    public TimeSpan LowCreditCheckInterval { get; set; } = TimeSpan.FromHours(1);

    public SmtpOptions Smtp { get; set; } = new();
    public GatewayOptions Sms { get; set; } = new();
    public GatewayOptions Push { get; set; } = new();
    public Channels.WebhookOptions Webhooks { get; set; } = new();

    public string? Validate() =>
        PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromMinutes(10) ? "Alerts:PollInterval must be 100 ms to 10 minutes"
        : BatchSize is < 1 or > 1000 ? "Alerts:BatchSize must be 1 to 1000"
        : MaxAttempts is < 1 or > 50 ? "Alerts:MaxAttempts must be 1 to 50"
        : FirstRetryDelay < TimeSpan.FromSeconds(1) || FirstRetryDelay > TimeSpan.FromHours(1) ? "Alerts:FirstRetryDelay must be 1 s to 1 hour"
        : MaxRetryDelay < FirstRetryDelay || MaxRetryDelay > TimeSpan.FromDays(1) ? "Alerts:MaxRetryDelay must be FirstRetryDelay to 1 day"
        : SendTimeout < TimeSpan.FromSeconds(1) || SendTimeout > TimeSpan.FromMinutes(5) ? "Alerts:SendTimeout must be 1 s to 5 minutes"
        : ClaimLease <= SendTimeout || ClaimLease > TimeSpan.FromHours(1) ? "Alerts:ClaimLease must be longer than SendTimeout, at most 1 hour"
        : LowCreditCheckInterval < TimeSpan.FromSeconds(1) || LowCreditCheckInterval > TimeSpan.FromDays(1) ? "Alerts:LowCreditCheckInterval must be 1 s to 1 day"
        : Smtp.Validate() ?? Sms.Validate("Sms") ?? Push.Validate("Push") ?? Webhooks.Validate();
}

/// <summary>The mail server email is handed to (<c>Alerts:Smtp:*</c>).</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name; empty: email is not configured.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions). Default StartTls.</summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>Sender address, e.g. <c>alerts@utility.example</c>.</summary>
    public string From { get; set; } = "alerts@prepay.invalid";

    public string FromName { get; set; } = "Prepay";

    public string? Username { get; set; }

    /// <summary>Never logged.</summary>
    public string? Password { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Host);

    public string? Validate() =>
        Port is < 1 or > 65535 ? "Alerts:Smtp:Port must be 1 to 65535"
        : !Enum.TryParse<MailKit.Security.SecureSocketOptions>(Security, ignoreCase: true, out _) ? "Alerts:Smtp:Security must be None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect"
        : !MimeKit.MailboxAddress.TryParse(From, out _) ? "Alerts:Smtp:From must be an email address"
        : null;
}

/// <summary>An HTTP gateway that sends SMS or push messages: POST JSON <c>{to, text, id}</c> with a bearer token.</summary>
public sealed class GatewayOptions
{
    /// <summary>Absolute http(s) URL; empty: the channel is not configured.</summary>
    public string? Url { get; set; }

    /// <summary>Bearer token; never logged.</summary>
    public string? Token { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Url);

    public string? Validate(string name) =>
        Configured && !(Uri.TryCreate(Url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps))
            ? $"Alerts:{name}:Url must be an absolute http or https URL"
            : null;
}
