namespace Prepay.Alerts.Outbox;

/// <summary>What customers and integrations are told about, and which meter events are an operator's business.</summary>
public static class AlertKinds
{
    public const string LowCredit = "lowCredit";
    public const string CreditExhausted = "creditExhausted";
    public const string Disconnected = "disconnected";
    public const string Reconnected = "reconnected";
    public const string TopUp = "topUp";

    /// <summary>Kinds a webhook may subscribe to.</summary>
    public static readonly IReadOnlySet<string> Customer = new HashSet<string>(StringComparer.Ordinal)
        { LowCredit, CreditExhausted, Disconnected, Reconnected, TopUp };

    /// <summary>A meter event (the meter's own names, see Prepay.Meter) that tells its customer something, and what.</summary>
    public static string? ForMeterEvent(string type) => type switch
    {
        "lowCredit" => LowCredit,
        "creditExhausted" => CreditExhausted,
        "relayOpened" => Disconnected,
        "relayClosed" => Reconnected,
        _ => null,
    };

    /// <summary>Meter events that become operator alerts: abnormal voltage, overload, outage, tamper.</summary>
    public static readonly IReadOnlySet<string> Operator = new HashSet<string>(StringComparer.Ordinal)
        { "overVoltage", "underVoltage", "overload", "powerOutage", "coverOpen", "magneticTamper" };
}
