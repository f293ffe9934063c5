using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Everything a meter sends, whatever the transport: typed uplinks (<see cref="MeterUplink"/>) checked item by item
/// and stored (<see cref="IngestAsync"/>); an MQTT v1 message is parsed strictly into one first (<see cref="HandleAsync"/>,
/// <see cref="V1Uplinks"/>). A payload that is malformed, too large or out of schema is refused whole and counted; an
/// item that is impossible (a negative register, an instant more than a day ahead) is refused and counted while the
/// rest of its batch is kept. Readings that are possible but doubtful (a register running backwards, a spike, a
/// clock off) are stored with their quality by <see cref="ReadingIngestor"/>'s validation.
/// </summary>
public sealed class MeterMessageHandler(
    IServiceScopeFactory scopes,
    MeterDirectory meters,
    ReadingIngestor readings,
    StatusAndAckWriter statusesAndAcks,
    RejectionCounter rejections,
    MeterRateLimits limits,
    MqttOptions options,
    IClock clock)
{
    /// <summary>
    /// Raised inside the transaction that stores a meter's new events, with its context: what a listener writes there
    /// (the alerts' outbox rows) commits with the events or not at all, so no stored event is left without its alert.
    /// Listeners run one after another, each awaited, never side by side on the one context.
    /// </summary>
    public event Func<PrepayDb, Guid, string, IReadOnlyList<MeterEvent>, CancellationToken, Task>? EventsStoring;

    /// <summary>Raised after the transaction that stored a meter's new events has committed (to wake senders).</summary>
    public event Action<Guid, string, IReadOnlyList<MeterEvent>>? EventsStored;

    /// <summary>
    /// Raised after an acknowledgement closed a command: the meter's next command, which waited for this one
    /// (<see cref="CommandDispatcher"/> sends a meter its lowest open command only), is due now.
    /// </summary>
    public event Action? CommandClosed
    {
        add => statusesAndAcks.CommandClosed += value;
        remove => statusesAndAcks.CommandClosed -= value;
    }

    /// <summary>An MQTT v1 message from <paramref name="meterNumber"/> under its topic kind <paramref name="kind"/> (docs/mqtt.md).</summary>
    public async Task<Handled> HandleAsync(string meterNumber, string kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (payload.Length > options.MaxPayloadBytes)
        {
            rejections.Count(meterNumber, "too-large");
            return Handled.Done;
        }
        if (await meters.IdAsync(meterNumber, ct) is not { } meterId)
        {
            rejections.Count(meterNumber, "unknown-meter");
            return Handled.Done;
        }
        if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            // RFC 8259 §8.1: JSON between systems is UTF-8. The parser would read a broken sequence inside a string
            // as U+FFFD and store it; the meter sent something else.
            rejections.Count(meterNumber, "malformed");
            return Handled.Done;
        }
        MeterUplink uplink;
        try
        {
            uplink = V1Uplinks.Read(kind, payload.Span);
        }
        catch (JsonException)
        {
            rejections.Count(meterNumber, "malformed");
            return Handled.Done;
        }
        catch (V1PayloadException e)
        {
            rejections.Count(meterNumber, e.Message);
            return Handled.Done;
        }
        return await IngestAsync(meterNumber, meterId, uplink, ct);
    }

    /// <summary>
    /// What <paramref name="meterNumber"/> sent, as any transport parsed it: refused and counted when it is not
    /// acceptable, stored when it is. The same checks and the same writes for every transport.
    /// </summary>
    public async Task<Handled> IngestAsync(string meterNumber, MeterUplink uplink, CancellationToken ct)
    {
        if (await meters.IdAsync(meterNumber, ct) is not { } meterId)
        {
            rejections.Count(meterNumber, "unknown-meter");
            return Handled.Done;
        }
        return await IngestAsync(meterNumber, meterId, uplink, ct);
    }

    private async Task<Handled> IngestAsync(string meterNumber, Guid meterId, MeterUplink uplink, CancellationToken ct)
    {
        try
        {
            switch (uplink)
            {
                case IntervalReadings r:
                    return await ReadingsAsync(meterNumber, meterId, r, ct);
                case MeterEvents e:
                    await EventsAsync(meterNumber, meterId, e, ct);
                    break;
                case CommandAcknowledgement a:
                    return await AckAsync(meterNumber, a, ct);
                case MeterStatus s:
                    return await StatusAsync(meterId, s, ct);
                default:
                    // InstantaneousValues: no transport sends them on their own yet (MQTT v1 carries them in readings)
                    // and nothing stores them apart; refused and counted rather than dropped unseen.
                    rejections.Count(meterNumber, "unsupported-uplink");
                    break;
            }
        }
        catch (SchemaException e)
        {
            rejections.Count(meterNumber, e.Message);
        }
        return Handled.Done;
    }

    /// <summary>Text a database can keep: PostgreSQL's text refuses NUL, which JSON can carry (<c>\u0000</c>).</summary>
    private static bool Storable(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    private Instant Latest => clock.GetCurrentInstant() + Duration.FromDays(1);

    private async Task<Handled> ReadingsAsync(string meterNumber, Guid meterId, IntervalReadings message, CancellationToken ct)
    {
        if (message.Readings.Count > options.MaxItemsPerMessage)
        {
            throw new SchemaException("too-many-items");
        }
        var latest = Latest;
        var accepted = false;
        foreach (var r in message.Readings)
        {
            if (r.Register.WattHours < 0 || r.Used.WattHours < 0 || r.VoltageDv < 0 || r.CurrentMa < 0 || r.PowerW < 0 || r.At > latest)
            {
                rejections.Count(meterNumber, "invalid-reading");
                continue;
            }
            accepted = true;
            await readings.AcceptAsync(meterNumber, new IntervalReading
            {
                MeterId = meterId, At = r.At, EnergyWh = r.Register.WattHours, DeltaWh = r.Used.WattHours, CreditWh = r.Credit.WattHours,
                VoltageDv = r.VoltageDv, CurrentMa = r.CurrentMa, PowerW = r.PowerW,
            }, ct);
        }
        return accepted ? new Handled(await readings.StoredAsync(meterId, ct)) : Handled.Done;
    }

    private async Task EventsAsync(string meterNumber, Guid meterId, MeterEvents message, CancellationToken ct)
    {
        if (message.Events.Count > options.MaxItemsPerMessage)
        {
            throw new SchemaException("too-many-items");
        }
        if (!limits.AdmitEvents(meterNumber, message.Events.Count))
        {
            // Refused whole, before anything is written: no event, so no alert and no SMS, from a flood.
            return;
        }
        var latest = Latest;
        var kept = new List<MeterEvent>(message.Events.Count);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant().ToUnixTimeTicks();
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            foreach (var e in message.Events)
            {
                var at = e.At;
                if (string.IsNullOrWhiteSpace(e.Type) || e.Type.Length > 40 || e.Details is { Length: > 2000 } || !Storable(e.Type) || !Storable(e.Details) || at > latest)
                {
                    rejections.Count(meterNumber, "invalid-event");
                    continue;
                }
                var inserted = await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO meter_events (meter_id, at, type, details, received_at) VALUES ({meterId}, {at.ToUnixTimeTicks()}, {e.Type}, {e.Details}, {now}) ON CONFLICT (meter_id, at, type) DO NOTHING", ct);
                if (inserted > 0)
                {
                    kept.Add(e);
                }
            }
            if (kept.Count > 0 && EventsStoring is { } storing)
            {
                // A multicast Func<…, Task> invoked at once would start every listener and return only the last one's
                // task; the others would run on unawaited, on this context, past the commit.
                foreach (var listener in storing.GetInvocationList().Cast<Func<PrepayDb, Guid, string, IReadOnlyList<MeterEvent>, CancellationToken, Task>>())
                {
                    await listener(db, meterId, meterNumber, kept, ct);
                }
            }
            await tx.CommitAsync(ct);
        }
        if (kept.Count > 0)
        {
            EventsStored?.Invoke(meterId, meterNumber, kept);
        }
    }

    /// <summary>Queued for the next batch of statuses and acknowledgements; stored once <see cref="Handled.Stored"/> completes.</summary>
    private async Task<Handled> AckAsync(string meterNumber, CommandAcknowledgement ack, CancellationToken ct)
    {
        if (!Enum.IsDefined(ack.Result) || !Storable(ack.Reason))
        {
            throw new SchemaException("out-of-schema");
        }
        return new Handled(await statusesAndAcks.AcknowledgeAsync(meterNumber, ack, ct));
    }

    /// <summary>Queued for the next batch of statuses and acknowledgements; stored once <see cref="Handled.Stored"/> completes.</summary>
    private async Task<Handled> StatusAsync(Guid meterId, MeterStatus status, CancellationToken ct)
    {
        if (status.Relay is { Length: > 20 } || !Storable(status.Relay) || status.KeyRevision is < 0 or > 15)
        {
            throw new SchemaException("out-of-schema");
        }
        return new Handled(await statusesAndAcks.StatusAsync(meterId, status, ct));
    }

    /// <summary>A payload that parsed as JSON but is not what the protocol says.</summary>
    private sealed class SchemaException(string reason) : Exception(reason);
}
