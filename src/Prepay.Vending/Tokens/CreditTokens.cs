using Prepay.Domain.Energy;
using Prepay.Storage;

namespace Prepay.Vending.Tokens;

/// <summary>One STS credit token of a sale: what the customer types (or the head-end delivers), in order.</summary>
public sealed record IssuedCreditToken(string Token, long TokenId, Energy Energy);

/// <summary>
/// Makes a sale's credit tokens inside its write transaction, under the meter row lock its
/// <see cref="TokenReservation"/> took: the energy split by <see cref="CreditSplit"/>, the first token on the
/// reserved identifier and any further one on the identifiers after it, reserved here, so a meter's tokens never
/// share a TID. Vends and free basic electricity both come through here.
/// </summary>
public sealed class CreditTokens(ITokenGenerator tokens, TokenReservations reservations)
{
    /// <exception cref="UnrepresentableCreditException">The energy is not a whole number of 0.1 kWh.</exception>
    public async Task<IReadOnlyList<IssuedCreditToken>> IssueAsync(PrepayDb db, TokenReservation reserved, Energy energy, CancellationToken ct)
    {
        var parts = CreditSplit.Of(energy);
        if (parts.Count > 1)
        {
            var last = await reservations.AdvanceByAsync(db, reserved.Meter.Id, parts.Count - 1, ct);
            System.Diagnostics.Debug.Assert(last == reserved.TokenId + parts.Count - 1, "the row lock is held: nobody took an identifier in between");
        }

        var issued = new IssuedCreditToken[parts.Count];
        for (int i = 0; i < parts.Count; i++)
        {
            long tokenId = reserved.TokenId + i;
            issued[i] = new IssuedCreditToken(tokens.CreditToken(reserved.Meter, tokenId, parts[i]), tokenId, parts[i]);
        }

        return issued;
    }
}
