using NodaTime;

namespace Prepay.MeterLink.Commands;

/// <summary>
/// Gives a meter that holds its own credit the rules of the disconnection policy in force for it, so that its own
/// cut at zero credit keeps them: the friendly (no-disconnection) windows of each weekday, the public holidays ahead
/// (dates of its local calendar), and whether its household is protected (never cut). Sent again whenever the policy
/// in force, or the household's protection, changes. <see cref="PolicyCode"/> and <see cref="PolicyVersion"/> say which
/// policy the rules came from, for the meter's display and the head-end's records.
/// </summary>
public sealed record SetCreditPolicy(
    string PolicyCode, int PolicyVersion, IReadOnlyList<WeeklyWindow> FriendlyHours, IReadOnlyList<LocalDate> Holidays, bool Protected) : MeterCommand
{
    // Records compare lists by reference; two policies with the same rules are the same command.
    public bool Equals(SetCreditPolicy? other) =>
        other is not null && PolicyCode == other.PolicyCode && PolicyVersion == other.PolicyVersion && Protected == other.Protected
        && FriendlyHours.SequenceEqual(other.FriendlyHours) && Holidays.SequenceEqual(other.Holidays);

    public override int GetHashCode() => HashCode.Combine(PolicyCode, PolicyVersion, Protected, FriendlyHours.Count, Holidays.Count);
}

/// <summary>
/// A friendly window that starts on <see cref="Day"/> at <see cref="Start"/> (meter's local time) and lasts
/// <see cref="Minutes"/> (1 to 1440 + 1440: it may run past midnight into the next day, as 18:00 to 08:00 does).
/// </summary>
public sealed record WeeklyWindow(IsoDayOfWeek Day, LocalTime Start, int Minutes);
