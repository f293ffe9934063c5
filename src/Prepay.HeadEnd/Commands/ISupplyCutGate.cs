using NodaTime;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Asked by the dispatcher before every send (first or retry) of a command that would cut a meter's supply
/// (<see cref="SupplyCuts.Cuts"/>), whoever queued it: the last word on a disconnection is the policy's, at the
/// instant it would happen, not when it was asked. It answers in the dispatcher's claiming transaction on
/// <paramref name="db"/>, adding (not saving) the rows that record its decision. A refused command is withdrawn
/// by the dispatcher (<see cref="CommandState.Cancelled"/>) so it holds back no later command of its meter; the gate
/// keeps it as a held disconnection if it may go later.
/// </summary>
public interface ISupplyCutGate
{
    Task<GateAnswer> MaySendAsync(PrepayDb db, MeterCommandRecord queued, MeterCommand command, Instant now, CancellationToken ct);
}

/// <summary>Whether the command goes now; when not, the outcome the dispatcher writes on it (at most 500 characters).</summary>
public sealed record GateAnswer(bool Send, string? Outcome)
{
    public static GateAnswer Allow { get; } = new(true, null);

    public static GateAnswer Refuse(string outcome) => new(false, outcome);
}

/// <summary>Which commands cut supply, so that they pass the gate.</summary>
public static class SupplyCuts
{
    /// <summary>
    /// A disconnect, and thresholds that take away the meter's emergency credit (a meter running on it is cut at
    /// once, one that is not loses what would have kept it on).
    /// </summary>
    public static bool Cuts(MeterCommand command) => command switch
    {
        Disconnect => true,
        SetThresholds { EmergencyCredit.WattHours: 0 } => true,
        _ => false,
    };
}
