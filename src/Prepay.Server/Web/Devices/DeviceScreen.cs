extern alias virtualmeters;

using System.Globalization;
using Prepay.Sts.Meter;
using virtualmeters::Prepay.Meter.Display;
using virtualmeters::Prepay.Meter.Registers;

namespace Prepay.Server.Web.Devices;

/// <summary>
/// A virtual meter's screen in words: every state the LEDs or symbols show is spelled out, so nothing is told by
/// colour alone. Built from the meter's own <see cref="MeterDisplay"/>.
/// </summary>
public sealed record DeviceScreen(string MeterNumber, string CreditKwh, string EnergyKwh, string Relay, bool Connected, IReadOnlyList<string> Alarms,
    bool LowCredit, bool EmergencyCredit, string Power, string? LastKeypad, string MeterTime)
{
    public static DeviceScreen From(string meterNumber, MeterDisplay d) => new(
        meterNumber,
        d.CreditKwh.ToString("0.000", CultureInfo.InvariantCulture),
        d.EnergyKwh.ToString("0.000", CultureInfo.InvariantCulture),
        d.Relay == RelayState.Connected ? "Supply on" : "Supply off: " + Reasons(d.DisconnectReasons),
        d.Relay == RelayState.Connected,
        AlarmWords(d.ActiveAlarms),
        d.LowCreditWarning,
        d.EmergencyCreditInUse,
        d.ActivePowerWatts.ToString(CultureInfo.InvariantCulture) + " W",
        d.LastKeypadResult is { } k ? KeypadWord(k) : null,
        Operations.ConsoleFormat.AtSecond(d.At, NodaTime.DateTimeZone.Utc));

    /// <summary>The keypad's verdict as the meter's screen says it (IEC 62055-51 display texts), upper case.</summary>
    public static string KeypadWord(KeypadResult result) => result switch
    {
        KeypadResult.Accept => "ACCEPT",
        KeypadResult.Reject => "REJECT",
        KeypadResult.Used => "USED",
        KeypadResult.Old => "OLD",
        KeypadResult.KeyExpired => "KEY EXPIRED",
        KeypadResult.Overflow => "OVERFLOW",
        _ => result.ToString().ToUpperInvariant(),
    };

    /// <summary>What the verdict means, for the person who typed the token.</summary>
    public static string KeypadMeaning(KeypadResult result) => result switch
    {
        KeypadResult.Accept => "The token was accepted.",
        KeypadResult.Reject => "This is not a token for this meter (mistyped, another meter's, or damaged).",
        KeypadResult.Used => "This token was entered on this meter before; its credit was added then.",
        KeypadResult.Old => "This token is older than the tokens the meter remembers; it cannot be used any more.",
        KeypadResult.KeyExpired => "The meter's key has expired for tokens of this date.",
        KeypadResult.Overflow => "The credit register would overflow; nothing was added.",
        _ => result.ToString(),
    };

    private static string Reasons(DisconnectReasons reasons)
    {
        var words = new List<string>();
        if (reasons.HasFlag(DisconnectReasons.CreditExhausted))
        {
            words.Add("credit used up");
        }
        if (reasons.HasFlag(DisconnectReasons.RemoteCommand))
        {
            words.Add("disconnected remotely");
        }
        if (reasons.HasFlag(DisconnectReasons.Tamper))
        {
            words.Add("tamper");
        }
        if (reasons.HasFlag(DisconnectReasons.Overload))
        {
            words.Add("overload");
        }
        if (reasons.HasFlag(DisconnectReasons.AwaitingButtonPress))
        {
            words.Add("press the button to reconnect");
        }
        return words.Count == 0 ? "unknown" : string.Join(", ", words);
    }

    private static List<string> AlarmWords(Alarms alarms)
    {
        var words = new List<string>();
        void Add(Alarms flag, string word)
        {
            if (alarms.HasFlag(flag))
            {
                words.Add(word);
            }
        }
        Add(virtualmeters::Prepay.Meter.Display.Alarms.CoverOpen, "Cover open");
        Add(virtualmeters::Prepay.Meter.Display.Alarms.MagneticTamper, "Magnetic tamper");
        Add(virtualmeters::Prepay.Meter.Display.Alarms.OverVoltage, "Over-voltage");
        Add(virtualmeters::Prepay.Meter.Display.Alarms.UnderVoltage, "Under-voltage");
        Add(virtualmeters::Prepay.Meter.Display.Alarms.Overload, "Overload");
        Add(virtualmeters::Prepay.Meter.Display.Alarms.PowerOutage, "Power outage");
        return words;
    }
}
