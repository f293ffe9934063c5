namespace Prepay.Simulator.Fleet;

/// <summary>
/// What a fleet run did. <see cref="CommandsLost"/>: smart-meter vends whose addCredit the meter never applied;
/// <see cref="CreditMismatches"/>: meters whose credit added (tokens and commands) differs from the energy the
/// server sold them. <see cref="AlertsSent"/> is null when the server has no alerts API to read it from.
/// <see cref="DlmsMeters"/> of the meters ran as DLMS servers, which the head-end connected to <see cref="DlmsSessions"/> times.
/// </summary>
public sealed record FleetSummary(
    int Meters,
    long Readings,
    long Events,
    long Vends,
    long VendFailures,
    long TokensTyped,
    long TokensRejected,
    long Disconnections,
    long Reconnections,
    long? AlertsSent,
    long CommandsLost,
    int CreditMismatches,
    long LinkDrops,
    double SimulatedDays,
    double RealSeconds,
    int DlmsMeters = 0,
    long DlmsSessions = 0);

/// <summary>A progress sample for the live line.</summary>
public sealed record FleetProgress(NodaTime.Instant Now, double SimulatedDays, long Readings, long Vends, long TokensTyped, long Disconnections, long Reconnections, int Online);
