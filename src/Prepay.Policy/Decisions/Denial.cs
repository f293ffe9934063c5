using NodaTime;

namespace Prepay.Policy.Decisions;

/// <summary>One rule refusing: its id, why in words (the end of "your supply was not cut because …"), and until when.</summary>
internal sealed record Denial(string Rule, string Because, Instant? Until);
