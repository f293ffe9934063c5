using NodaTime;
using Prepay.Domain.Energy;

namespace Prepay.CentralCredit.Pricing;

/// <summary>
/// One interval reading as central credit prices it: the meter's energy over [<see cref="Start"/>, <see cref="End"/>).
/// Only trusted readings are priced (<see cref="ReadingQualities.IsPriced"/>); a suspect one waits for an operator.
/// </summary>
public sealed record IntervalToPrice(Guid MeterId, Instant Start, Instant End, Energy Energy, string Quality)
{
    public Duration Length => End - Start;
}

/// <summary>The readings' <c>quality</c> values (the <c>readings</c> table) that central credit prices.</summary>
public static class ReadingQualities
{
    public const string Valid = "valid";
    public const string Estimated = "estimated";
    public const string Edited = "edited";

    /// <summary>Valid, estimated (an estimate is charged, then corrected by the real value) and edited readings.</summary>
    public static bool IsPriced(string quality) => quality is Valid or Estimated or Edited;
}
