using NodaTime;
using Prepay.Meter;
using Prepay.Meter.Events;

namespace Prepay.Simulator.Agents;

/// <summary>
/// One virtual meter of a fleet, whatever its transport: the fleet moves its clock, its customer reads it and types
/// tokens on it, and the run's summary reads its counters. <see cref="MqttMeterAgent"/> publishes to a broker;
/// <see cref="DlmsMeterAgent"/> is a DLMS server the head-end reads and commands.
/// </summary>
public interface IFleetAgent : IAsyncDisposable
{
    string MeterNumber { get; }

    bool IsOnline { get; }

    long ReadingsSent { get; }

    long EventsSent { get; }

    long TokensTyped { get; }

    /// <summary>Credit added by tokens and commands since start (the token's worth, before any emergency repayment).</summary>
    long CreditAddedWh { get; }

    /// <summary>Credit the head-end delivered (addCredit commands, or tokens through a DLMS token gateway).</summary>
    long AddCreditsApplied { get; }

    long RelayOpenings { get; }

    long RelayClosings { get; }

    long LinkDrops { get; }

    Task ConnectAsync(CancellationToken ct = default);

    Task DropLinkAsync(CancellationToken ct = default);

    Task AdvanceAsync(Instant to, CancellationToken ct = default);

    Task<T> ReadAsync<T>(Func<PrepaidMeter, T> read, CancellationToken ct = default);

    Task<IReadOnlyList<MeterOutput>> TypeTokenAsync(string digits, CancellationToken ct = default);

    Task FlushAsync(CancellationToken ct = default);
}
