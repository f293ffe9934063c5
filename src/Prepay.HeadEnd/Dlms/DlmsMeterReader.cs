using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;

namespace Prepay.HeadEnd.Dlms;

/// <summary>What the head-end knew of a meter before a session: its relay and credit, and its latest stored reading.</summary>
public sealed record DlmsKnownState(string? Relay, long? CreditWh, Instant? LastReadingAt);

/// <summary>
/// Reads a DLMS meter and feeds what it read into the same ingestion as every transport
/// (<see cref="MeterMessageHandler.IngestAsync"/>): the load profile since the last stored reading as interval readings,
/// and its state (account's available credit, disconnect control's output, the energy register) as status.
/// <para>
/// Events: a DLMS meter's events reach ingestion through its state, read on every session, not through pushes. The
/// objects every prepayment meter has (account, disconnect control) say what changed since the head-end last looked;
/// the change is the event (<c>relayOpened</c>/<c>relayClosed</c>, <c>lowCredit</c> as credit crosses
/// <see cref="DlmsOptions.LowCreditWh"/>, <c>creditExhausted</c> at zero), recorded once because the stored status
/// moves with it. This asks nothing of the meter's push setup (which many installed meters have pointed elsewhere or
/// disabled) and loses nothing while the head-end is down: the next read sees the state all the same. What it cannot
/// see is a change that came and went between two reads (a relay opened and closed again), which only an event log
/// would show.
/// </para>
/// Call it inside the meter's session (<see cref="DlmsFleetPoller.RunOneAsync{T}"/>): the known state is read and the
/// new one stored under the meter's gate, so two sessions never derive the same event twice.
/// </summary>
public sealed class DlmsMeterReader(IServiceScopeFactory scopes, MeterMessageHandler ingestion, DlmsOptions options, IClock clock)
{
    public const string Connected = "connected";
    public const string Disconnected = "disconnected";

    /// <summary>A full read: load profile since the last stored reading, then state; everything ingested. The value is the rows ingested.</summary>
    public async Task<DlmsOutcome<int>> ReadAsync(DlmsMeterSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var known = await KnownAsync(session.Meter, ct);
        var now = clock.GetCurrentInstant();
        var from = known.LastReadingAt ?? now - Duration.FromTimeSpan(options.FirstReadBack);
        var profile = await session.ReadLoadProfileAsync(from, now, ct);
        if (profile is not DlmsOutcome<LoadProfileReading>.Succeeded { Value: var rows })
        {
            return profile.Failure<int>();
        }
        var state = await ReadStateAsync(session, known, ct);
        if (state is not DlmsOutcome<DlmsMeterState>.Succeeded { Value: var read })
        {
            return state.Failure<int>();
        }
        var readings = Readings(rows, known.LastReadingAt, read);
        await IngestStateAsync(session.Meter, read, ct);
        if (readings.Count > 0)
        {
            await ingestion.IngestAsync(session.Meter.Value, new IntervalReadings(readings), ct);
        }
        return DlmsOutcome.Success(readings.Count);
    }

    /// <summary>Reads the meter's state and ingests it with the events its change means (after a command, say).</summary>
    public async Task<DlmsOutcome<DlmsMeterState>> RefreshStateAsync(DlmsMeterSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var state = await ReadStateAsync(session, await KnownAsync(session.Meter, ct), ct);
        if (state is DlmsOutcome<DlmsMeterState>.Succeeded { Value: var read })
        {
            await IngestStateAsync(session.Meter, read, ct);
        }
        return state;
    }

    /// <summary>
    /// What a meter pushed (its credit and register at <paramref name="at"/>), ingested as a read's state is: the
    /// events its change of credit means, then the status. The relay is not in the push and stays as stored. Call it
    /// in turn with the meter's sessions (<see cref="DlmsFleetPoller.InTurnAsync"/>).
    /// </summary>
    public async Task IngestPushedAsync(MeterNumber meter, Energy credit, Energy register, Instant at, CancellationToken ct)
    {
        var known = await KnownAsync(meter, ct);
        var state = new DlmsMeterState(at, known.Relay ?? "", credit, register, []);
        state = state with { Events = Changes(known, state) };
        if (state.Events.Count > 0)
        {
            await ingestion.IngestAsync(meter.Value, new MeterEvents(state.Events), ct);
        }
        await (await ingestion.IngestAsync(meter.Value, new MeterStatus(true, known.Relay, credit, register, at, null), ct)).Stored;
    }

    /// <summary>The relay, credit and latest reading the head-end has stored for <paramref name="meter"/>.</summary>
    public async Task<DlmsKnownState> KnownAsync(MeterNumber meter, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meterId = await db.Meters.Where(m => m.MeterNumber == meter.Value).Select(m => m.Id).FirstOrDefaultAsync(ct);
        var status = await db.MeterStatus.AsNoTracking().Where(s => s.MeterId == meterId).Select(s => new { s.Relay, s.CreditWh }).FirstOrDefaultAsync(ct);
        var last = await db.Readings.AsNoTracking().Where(r => r.MeterId == meterId).OrderByDescending(r => r.At).Select(r => (Instant?)r.At).FirstOrDefaultAsync(ct);
        return new DlmsKnownState(status?.Relay, status?.CreditWh, last);
    }

    private async Task<DlmsOutcome<DlmsMeterState>> ReadStateAsync(DlmsMeterSession session, DlmsKnownState known, CancellationToken ct)
    {
        var account = await session.ReadAccountAsync(ct);
        if (account is not DlmsOutcome<AccountReading>.Succeeded { Value: var credit })
        {
            return account.Failure<DlmsMeterState>();
        }
        if (credit.AvailableEnergy is not { } creditWh)
        {
            return DlmsOutcome.Reject<DlmsMeterState>(DlmsProblem.UnusableValue, $"The account keeps credit in {credit.CurrencyName}, not in Wh or kWh.");
        }
        var supply = await session.ReadSupplyControlAsync(ct);
        if (supply is not DlmsOutcome<SupplyControl>.Succeeded { Value: var relay })
        {
            return supply.Failure<DlmsMeterState>();
        }
        var register = await session.ReadEnergyAsync(cancellationToken: ct);
        if (register is not DlmsOutcome<Energy>.Succeeded { Value: var energy })
        {
            return register.Failure<DlmsMeterState>();
        }
        var now = clock.GetCurrentInstant();
        var state = new DlmsMeterState(now, relay.OutputConnected ? Connected : Disconnected, creditWh, energy, []);
        return DlmsOutcome.Success(state with { Events = Changes(known, state) });
    }

    /// <summary>The events a change of state means; none on the first read (nothing to compare with).</summary>
    private List<MeterEvent> Changes(DlmsKnownState known, DlmsMeterState now)
    {
        var events = new List<MeterEvent>();
        long credit = now.Credit.WattHours;
        if (known.CreditWh is { } before)
        {
            if (before > options.LowCreditWh && credit <= options.LowCreditWh)
            {
                events.Add(new MeterEvent(now.At, "lowCredit", new JsonObject { ["creditWh"] = credit }.ToJsonString()));
            }
            if (before > 0 && credit <= 0)
            {
                events.Add(new MeterEvent(now.At, "creditExhausted", null));
            }
        }
        if (known.Relay is { } relay && relay != now.Relay)
        {
            events.Add(new MeterEvent(now.At, now.Relay == Disconnected ? "relayOpened" : "relayClosed", null));
        }
        return events;
    }

    /// <summary>Events first (they compare with the stored status), then the status that moves past them.</summary>
    private async Task IngestStateAsync(MeterNumber meter, DlmsMeterState state, CancellationToken ct)
    {
        if (state.Events.Count > 0)
        {
            await ingestion.IngestAsync(meter.Value, new MeterEvents(state.Events), ct);
        }
        // Awaited to its commit: the next read compares with the stored status (KnownAsync).
        await (await ingestion.IngestAsync(meter.Value, new MeterStatus(true, state.Relay, state.Credit, state.Register, state.At, null), ct)).Stored;
    }

    /// <summary>
    /// Load-profile rows as readings: the energy used in each row is its register minus the row before (the first
    /// row at or before the last stored reading is only that base, not sent again; with no base the first row used
    /// nothing). The profile captures no credit, so each row's credit is derived: the credit read now plus what was
    /// used since that row (exact while no top-up fell in between; a top-up inside the range makes earlier rows read
    /// high). Power is the row's average.
    /// </summary>
    private static List<MeterReading> Readings(LoadProfileReading profile, Instant? lastStored, DlmsMeterState state)
    {
        var rows = profile.Intervals;
        var readings = new List<MeterReading>(rows.Count);
        IntervalReading? previous = null;
        foreach (var row in rows)
        {
            if (lastStored is { } last && row.End <= last)
            {
                previous = row;
                continue;
            }
            long used = previous is null ? 0 : Math.Max(0, row.ActiveImport.WattHours - previous.ActiveImport.WattHours);
            long seconds = previous is null ? 0 : (long)(row.End - previous.End).TotalSeconds;
            int power = seconds > 0 ? (int)Math.Min(int.MaxValue, used * 3600 / seconds) : 0;
            long credit = state.Credit.WattHours + Math.Max(0, state.Register.WattHours - row.ActiveImport.WattHours);
            readings.Add(new MeterReading(row.End, row.ActiveImport, new Energy(used), new Energy(credit), 0, 0, power));
            previous = row;
        }
        return readings;
    }
}

/// <summary>A meter's state as one session read it, and the events its change since the last read means.</summary>
public sealed record DlmsMeterState(Instant At, string Relay, Energy Credit, Energy Register, IReadOnlyList<MeterEvent> Events);
