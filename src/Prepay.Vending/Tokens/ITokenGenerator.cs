using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.Vending.Tokens;

/// <summary>Makes the 20-digit credit token a keypad meter accepts for a vend.</summary>
public interface ITokenGenerator
{
    /// <param name="meter">The meter, with its STS parameters.</param>
    /// <param name="tokenId">The token identifier reserved for this vend inside its database transaction.</param>
    /// <param name="energy">Energy to credit, already a multiple of the meter's resolution.</param>
    string CreditToken(Meter meter, long tokenId, Energy energy);

    /// <summary>The token identifier for an instant: minutes since the meter's base date.</summary>
    long TokenIdAt(Meter meter, NodaTime.Instant at);
}
