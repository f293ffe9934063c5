namespace Prepay.MeterLink.Uplinks;

/// <summary>Reasons in acknowledgements that the head-end reads, not only records.</summary>
public static class AcknowledgementReasons
{
    /// <summary>
    /// A token delivery whose every token the meter's decoder already holds as used: the customer typed them at the
    /// keypad first. Credit was applied once, by the keypad; the command is done (acknowledged), not failed.
    /// </summary>
    public const string TokenUsed = "token-used";

    /// <summary>A genuine command whose sequence number is below the last the meter accepted: a replay or a late copy, never applied.</summary>
    public const string Replayed = "replayed";

    /// <summary>A command past its expiry by the meter's clock, never applied.</summary>
    public const string Expired = "expired";
}
