using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.Vending.Tokens;

/// <summary>Makes the 20-digit tokens a keypad meter accepts: credit for a vend, management and key change tokens.</summary>
public interface ITokenGenerator
{
    /// <summary>Why no token can be made for this meter (e.g. its number is no STS decoder reference), or null.</summary>
    string? CannotIssueFor(Meter meter);

    /// <param name="meter">The meter, with its STS parameters.</param>
    /// <param name="tokenId">The token identifier reserved for this vend inside its database transaction.</param>
    /// <param name="energy">Energy to credit, already a multiple of the meter's resolution.</param>
    string CreditToken(Meter meter, long tokenId, Energy energy);

    /// <summary>A class 2 management token (power limit, clear credit, clear tamper...) with a reserved token identifier.</summary>
    string ManagementToken(Meter meter, long tokenId, ManagementTokenKind kind, ushort value);

    /// <summary>
    /// The key change token set (2 tokens for a 64-bit key, 4 for a 128-bit key), encrypted with the meter's
    /// current key, that moves it to <paramref name="target"/>'s key revision and base date.
    /// </summary>
    IReadOnlyList<string> KeyChangeTokens(Meter meter, KeyTarget target);

    /// <summary>The token identifier for an instant: minutes since the meter's base date.</summary>
    long TokenIdAt(Meter meter, NodaTime.Instant at);
}
