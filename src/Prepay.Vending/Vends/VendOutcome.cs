using Prepay.Vending.Contracts;

namespace Prepay.Vending.Vends;

/// <summary>Every way a vend request can end. Expected failures are values, not exceptions.</summary>
public abstract record VendOutcome
{
    /// <summary>A new vend was made.</summary>
    public sealed record Created(VendResponse Vend) : VendOutcome
    {
        /// <summary>The vend as stored, in JSON (web defaults): what an HTTP answer can send as it is, without serialising it again.</summary>
        public string? Json { get; init; }
    }

    /// <summary>The same request with the same key was made before: the original response, nothing new written.</summary>
    public sealed record Replayed(VendResponse Vend) : VendOutcome
    {
        /// <inheritdoc cref="Created.Json"/>
        public string? Json { get; init; }
    }

    /// <summary>The request is malformed; field name to messages.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : VendOutcome;

    /// <summary>The meter, site or unit named does not exist (or has no meter installed).</summary>
    public sealed record NotFound(string Detail) : VendOutcome;

    /// <summary>The key was used before for a different request.</summary>
    public sealed record KeyReused : VendOutcome;

    /// <summary>Understood but refused: amount in another currency than the meter's, no customer, no tariff.</summary>
    public sealed record Unprocessable(string Code, string Detail) : VendOutcome;

    /// <summary>Refused because of the state of things: the vendor's float is too small.</summary>
    public sealed record Conflict(string Code, string Detail) : VendOutcome;
}
