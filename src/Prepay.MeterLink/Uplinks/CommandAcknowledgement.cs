using NodaTime;

namespace Prepay.MeterLink.Uplinks;

/// <summary>The meter's answer to one command, with why it refused it when it did.</summary>
public sealed record CommandAcknowledgement(Guid CommandId, AcknowledgementResult Result, string? Reason, Instant At) : MeterUplink
{
    /// <summary>
    /// Whether the command is done: applied, or seen before, or a token delivery whose every token the keypad had
    /// already taken (its credit is on the meter, <see cref="AcknowledgementReasons.TokenUsed"/>). Any other refusal
    /// fails the command, with or without a reason.
    /// </summary>
    public bool Succeeded => Result != AcknowledgementResult.Rejected || Reason == AcknowledgementReasons.TokenUsed;
}
