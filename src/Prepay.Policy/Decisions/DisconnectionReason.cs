namespace Prepay.Policy.Decisions;

/// <summary>
/// Why a disconnection is asked. Every reason passes the same rules: a household cut by an operator's command at
/// 2 a.m. on a public holiday is as cut as one whose credit ran out. A cut for safety is an admin's override, not
/// a reason the policy allows.
/// </summary>
public enum DisconnectionReason
{
    /// <summary>The credit (meter's or central) ran out.</summary>
    CreditExhausted,

    /// <summary>An operator's disconnect command from the console.</summary>
    OperatorCommand,

    /// <summary>A disconnect command through the API.</summary>
    Api,

    /// <summary>Thresholds set on the meter that would cut its supply (setThresholds).</summary>
    Thresholds,

    /// <summary>A management token that zeroes the meter's power limit.</summary>
    ManagementToken,
}
