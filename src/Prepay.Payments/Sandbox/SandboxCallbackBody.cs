namespace Prepay.Payments.Sandbox;

/// <summary>
/// What the sandbox posts to <c>/api/v1/payments/callbacks/sandbox</c>, signed in the <c>Sandbox-Signature</c>
/// header. <see cref="Type"/> is <c>payment.approved</c> or <c>payment.declined</c>.
/// </summary>
public sealed record SandboxCallbackBody(
    string? Id,
    string? Type,
    Guid? SessionId,
    string? PaymentId,
    string? Amount,
    string? Currency,
    string? Method,
    string? DeclineReason)
{
    public const string Approved = "payment.approved";
    public const string Declined = "payment.declined";
}

/// <summary>The secret the sandbox signs with and Prepay verifies with: configured, or one per process.</summary>
public sealed class SandboxSecret(string value)
{
    public string Value { get; } = value;

    public bool IsGenerated { get; init; }
}
