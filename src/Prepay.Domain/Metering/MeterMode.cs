namespace Prepay.Domain.Metering;

/// <summary>How credit reaches a meter.</summary>
public enum MeterMode
{
    /// <summary>An STS keypad meter: every vend returns a 20-digit token the customer types in.</summary>
    Token,

    /// <summary>A remotely credited meter: the head-end sends the credit; no token.</summary>
    Smart,
}
