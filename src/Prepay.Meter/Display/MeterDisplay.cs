using NodaTime;
using Prepay.Meter.Registers;
using Prepay.Sts.Meter;

namespace Prepay.Meter.Display;

/// <summary>What the meter's screen and LEDs show, for a web page: kWh values are exact (Wh / 1000).</summary>
public sealed record MeterDisplay(
    Instant At,
    decimal CreditKwh,
    decimal EnergyKwh,
    RelayState Relay,
    DisconnectReasons DisconnectReasons,
    Alarms ActiveAlarms,
    bool LowCreditWarning,
    bool EmergencyCreditInUse,
    int ActivePowerWatts,
    KeypadResult? LastKeypadResult)
{
    /// <summary>The money balance the server last told the meter to show (central credit); null when it was told none.</summary>
    public ShownBalance? Balance { get; init; }
}
