using Prepay.MeterLink.Mqtt;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Commands that only change what a meter displays (<c>showBalance</c>). They keep their place in the meter's
/// sequence (a meter believes only signed commands numbered above the last it accepted, docs/mqtt.md "Signed commands";
/// a second, unsigned or separately numbered channel for them would be a way around that), but they hold nothing back:
/// the dispatcher sends a meter's later commands (a disconnection, a top-up's credit) without waiting for an earlier
/// display to be acknowledged, and withdraws that display as it does (the meter would refuse its lower number once it
/// has accepted the later one). A newer display of the same kind withdraws an older one still open
/// (<see cref="CommandQueue.EnqueueSupersedingAsync"/>). Whoever sends displays sends again what was withdrawn.
/// </summary>
public static class DisplayCommands
{
    /// <summary>The outcome of a display withdrawn for a newer one of its kind.</summary>
    public const string SupersededByNewer = "superseded: a newer display was queued";

    /// <summary>The outcome of a display withdrawn because a later command of its meter went first.</summary>
    public const string SupersededByLater = "superseded: a later command went first";

    /// <summary>Whether the stored <paramref name="type"/> only changes a meter's display.</summary>
    public static bool IsDisplay(string type) => type == CommandTypes.ShowBalance;
}
