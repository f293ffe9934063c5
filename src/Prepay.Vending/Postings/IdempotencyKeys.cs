namespace Prepay.Vending.Postings;

/// <summary>What an <c>Idempotency-Key</c> header may be: 1 to 100 printable ASCII characters.</summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 100;

    /// <summary>Why the key is unusable, or null when it is fine.</summary>
    public static string? Problem(string? key) =>
        string.IsNullOrWhiteSpace(key) ? "header is required on every money-moving request"
        : key.Length > MaxLength || key.Any(c => c is < '!' or > '~') ? $"must be 1 to {MaxLength} printable ASCII characters"
        : null;
}
