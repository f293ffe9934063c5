using NodaTime;
using Prepay.Meter.Credit;

namespace Prepay.Meter.Commands;

/// <summary>
/// Replace the friendly hours, holidays and protection with a disconnection policy's (the head-end's
/// <c>setCreditPolicy</c>): its weekly windows become the whole of the friendly hours (daily windows and whole days
/// before it are dropped), its holidays the holidays, <paramref name="Protected"/> the protection. Every other credit
/// setting (thresholds, emergency credit, friendly debt limit, reconnection, tamper) stays.
/// </summary>
public sealed record SetCreditPolicy(
    long CommandId, string PolicyCode, int PolicyVersion, IReadOnlyList<WeeklyFriendlyWindow> FriendlyHours, IReadOnlyList<LocalDate> Holidays, bool Protected)
    : MeterCommand(CommandId)
{
    /// <summary>The most windows and holidays a meter keeps (as MQTT v1 carries: docs/mqtt.md, setCreditPolicy).</summary>
    public const int MaxWindows = 7 * 8, MaxHolidays = 400;
}
