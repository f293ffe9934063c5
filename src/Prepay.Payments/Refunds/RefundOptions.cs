namespace Prepay.Payments.Refunds;

/// <summary>Refunds of online payments, bound from <c>Payments:Refunds</c>: how the dispatcher calls the providers.</summary>
public sealed class RefundOptions
{
    /// <summary>Run the refund dispatcher in this server (default). Off for a server that should only record refunds.</summary>
    public bool Dispatch { get; set; } = true;

    /// <summary>How often the dispatcher looks for refunds due (new ones and retries). 100 ms to 10 minutes; default 10 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Provider calls before a refund is marked failed (its money stays owed, for staff). 1 to 50; default 6.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Delay after the first failed call, doubled after each further one. 1 s to 1 hour; default 30 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest delay between calls. FirstRetryDelay to 1 day; default 1 hour.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest one provider call may take. 1 s to 5 minutes; default 30 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claimed refund belongs to the server that claimed it: if that server dies before recording the
    /// answer, another calls the provider again after this, with the same idempotency key. Longer than
    /// <see cref="CallTimeout"/>, at most an hour; default 2 minutes.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Refunds claimed per round. 1 to 1000; default 20.</summary>
    public int BatchSize { get; set; } = 20;

    public string? Validate() =>
        PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromMinutes(10) ? "Payments:Refunds:PollInterval must be 100 ms to 10 minutes."
        : MaxAttempts is < 1 or > 50 ? "Payments:Refunds:MaxAttempts must be 1 to 50."
        : FirstRetryDelay < TimeSpan.FromSeconds(1) || FirstRetryDelay > TimeSpan.FromHours(1) ? "Payments:Refunds:FirstRetryDelay must be 1 s to 1 hour."
        : MaxRetryDelay < FirstRetryDelay || MaxRetryDelay > TimeSpan.FromDays(1) ? "Payments:Refunds:MaxRetryDelay must be FirstRetryDelay to 1 day."
        : CallTimeout < TimeSpan.FromSeconds(1) || CallTimeout > TimeSpan.FromMinutes(5) ? "Payments:Refunds:CallTimeout must be 1 s to 5 minutes."
        : ClaimLease <= CallTimeout || ClaimLease > TimeSpan.FromHours(1) ? "Payments:Refunds:ClaimLease must be longer than CallTimeout, at most 1 hour."
        : BatchSize is < 1 or > 1000 ? "Payments:Refunds:BatchSize must be 1 to 1000."
        : null;
}
