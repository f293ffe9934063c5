using NodaTime;

namespace Prepay.Meter.Display;

/// <summary>The money balance on the meter's screen as the server last told it: minor units, ISO 4217 currency, the instant it was true at.</summary>
public sealed record ShownBalance(long Minor, string Currency, Instant AsOf);
