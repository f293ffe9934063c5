namespace Prepay.Meter.Credit;

/// <summary>
/// The meter-side credit rules. A wrongful disconnection is the worst failure, so every rule errs on supplying:
/// protected customers are never disconnected automatically; in friendly hours credit may go negative (down to
/// <see cref="FriendlyDebtLimitWh"/> if set) and the meter disconnects only when they end.
/// </summary>
public sealed record CreditPolicy
{
    /// <summary>LowCredit fires when credit falls to this (Wh, ≥ 0).</summary>
    public long LowCreditWh { get; init; } = 2_000;

    /// <summary>Emergency credit offered once when credit runs out, repaid from the next credit; 0 = none.</summary>
    public long EmergencyCreditWh { get; init; }

    /// <summary>Taken automatically at zero, or by a button press.</summary>
    public EmergencyActivation EmergencyActivation { get; init; } = EmergencyActivation.Automatic;

    /// <summary>No disconnection for lack of credit in these local-time windows.</summary>
    public FriendlyHours FriendlyHours { get; init; } = FriendlyHours.None;

    /// <summary>How far below zero credit may go in friendly hours before the meter disconnects anyway; null = no limit.</summary>
    public long? FriendlyDebtLimitWh { get; init; }

    /// <summary>Never disconnect automatically (credit, tamper, overload); remote Disconnect is refused too.</summary>
    public bool IsProtected { get; init; }

    /// <summary>Reconnect at once when credit returns, or after a button press.</summary>
    public ReconnectMode ReconnectMode { get; init; } = ReconnectMode.Automatic;

    /// <summary>The disconnection policy whose rules the friendly hours and protection came from (<c>setCreditPolicy</c>); null when set otherwise.</summary>
    public string? PolicyCode { get; init; }

    /// <summary>The version of <see cref="PolicyCode"/>.</summary>
    public int? PolicyVersion { get; init; }

    /// <summary>Open the relay on cover-open or magnetic tamper (not for protected customers).</summary>
    public bool DisconnectOnTamper { get; init; } = true;
}
