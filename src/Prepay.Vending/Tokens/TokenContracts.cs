namespace Prepay.Vending.Tokens;

/// <summary>An operator's request for a management token: <c>kind</c> (e.g. clearCredit), its 16-bit <c>value</c> if any, and why.</summary>
public sealed record ManagementTokenInput(string? Kind, int? Value, string? Reason);

/// <summary>
/// A management token made for an operator. When a key change was due, <see cref="KeyChangeTokens"/> come first:
/// enter them, in order, before <see cref="Token"/>, which is made with the new key.
/// </summary>
public sealed record ManagementTokenIssued(
    string MeterNumber,
    string Kind,
    int Value,
    string Token,
    long TokenId,
    string At,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? KeyChangeTokens = null);

/// <summary>An operator's order to move a meter to another key revision and/or base date (e.g. 2014), and why.</summary>
public sealed record KeyChangeInput(int? ToKeyRevisionNumber, int? ToBaseDate, string? Reason);

/// <summary>A recorded key change: its tokens go out with the meter's next vend or management token.</summary>
public sealed record KeyChangePending(string MeterNumber, int FromKeyRevisionNumber, int FromBaseDate, int ToKeyRevisionNumber, int ToBaseDate, string Status);

/// <summary>How an operator's token request ends. Expected failures are values, not exceptions.</summary>
public abstract record TokenOutcome
{
    /// <summary>Made now, or (<paramref name="Replayed"/>) made before for the same Idempotency-Key and request.</summary>
    public sealed record Issued(ManagementTokenIssued Token, bool Replayed = false) : TokenOutcome;

    /// <summary>The Idempotency-Key was used before for a different request.</summary>
    public sealed record KeyReused : TokenOutcome;

    public sealed record KeyChangeRecorded(KeyChangePending KeyChange) : TokenOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : TokenOutcome;

    public sealed record NotFound(string Detail) : TokenOutcome;

    public sealed record Unprocessable(string Code, string Detail) : TokenOutcome;
}
