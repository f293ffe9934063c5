namespace Prepay.Payments;

/// <summary>Online payments, bound from <c>Payments</c>.</summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>The vendor whose float online payments sell from (channel web or gateway). Default <c>PREPAY-WEB</c>.</summary>
    public string VendorCode { get; set; } = "PREPAY-WEB";

    /// <summary>How long a checkout stays open for the payer. Default 30 minutes, at most a day.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public SandboxOptions Sandbox { get; set; } = new();

    public Refunds.RefundOptions Refunds { get; set; } = new();

    public string? Validate() =>
        string.IsNullOrWhiteSpace(VendorCode) ? "Payments:VendorCode is required."
        : SessionLifetime <= TimeSpan.Zero || SessionLifetime > TimeSpan.FromDays(1) ? "Payments:SessionLifetime must be more than zero and at most a day."
        : Sandbox.Validate() ?? Refunds.Validate();
}

/// <summary>
/// The sandbox provider (<c>Payments:Sandbox</c>): a checkout served by Prepay itself that behaves like a card or
/// mobile-money provider, for demos and tests. It sells real tokens for test cards, so it is off unless the server
/// runs in Development or <see cref="Enabled"/> says so.
/// </summary>
public sealed class SandboxOptions
{
    public const int MinimumSecretLength = 32;

    /// <summary>On or off; unset means on in the Development environment only.</summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// The secret the sandbox signs its callbacks with and Prepay checks them with (at least 32 characters).
    /// Unset: a random one per process, which serves a single demo server but not several behind one address.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Where the sandbox posts its callbacks; unset: this server's own first address.</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>How far a callback's signed timestamp may be from the server's clock, either way. Default 5 minutes.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public string? Validate() =>
        Secret is { } s && s.Length < MinimumSecretLength ? $"Payments:Sandbox:Secret must be at least {MinimumSecretLength} characters."
        : TimestampTolerance <= TimeSpan.Zero || TimestampTolerance > TimeSpan.FromHours(1) ? "Payments:Sandbox:TimestampTolerance must be more than zero and at most an hour."
        : CallbackUrl is { } u && !Uri.TryCreate(u, UriKind.Absolute, out _) ? "Payments:Sandbox:CallbackUrl must be an absolute URL."
        : null;
}
